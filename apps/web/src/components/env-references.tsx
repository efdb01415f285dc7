import type { EnvReference } from '../lib/api-types';
import { referenceHint } from '../lib/env-references';

/** Each `${VAR}` a value as written reads, with "set in .env" / "not set"; values stay as written. */
export function EnvReferences({ references, label }: { references: EnvReference[]; label: string }) {
  if (references.length === 0) return null;
  return (
    <ul className="env-references muted" aria-label={label}>
      {references.map((r) => (
        <li key={r.name}>
          <code>{`\${${r.name}}`}</code>{' '}
          <span className={r.is_set ? undefined : 'warn-text'}>{referenceHint(r)}</span>
        </li>
      ))}
    </ul>
  );
}
