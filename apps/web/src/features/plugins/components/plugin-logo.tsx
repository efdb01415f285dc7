import { useState } from 'react';
import { logoLetter } from '../model/plugin-types';

/**
 * The plugin's logo from Meltano Hub, or its first letter when it has none or the image does not load
 * (offline, blocked). Decorative: the name is always written beside it.
 */
export function PluginLogo({ name, label, url }: { name: string; label: string | null; url: string | null }) {
  const [failed, setFailed] = useState(false);
  if (!url || failed || !url.startsWith('https://')) {
    return (
      <span className="plugin-logo plugin-logo-letter" aria-hidden="true">
        {logoLetter(name, label)}
      </span>
    );
  }
  return (
    <img
      className="plugin-logo"
      src={url}
      alt=""
      width={40}
      height={40}
      loading="lazy"
      referrerPolicy="no-referrer"
      onError={() => setFailed(true)}
    />
  );
}
