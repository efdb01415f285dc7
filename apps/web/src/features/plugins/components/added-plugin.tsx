import { Link } from 'react-router';
import { usePermission } from '../../../api/get-identity';
import type { PluginWritten } from '../../../lib/api-types';
import { InstallButton } from './install-button';

/** What adding wrote, and the next steps: install it, configure it. */
export function AddedPlugin({ written, onAnother }: { written: PluginWritten; onAnother: () => void }) {
  const operate = usePermission('operate');
  const settings = `/plugins/${encodeURIComponent(written.type)}/${encodeURIComponent(written.name)}`;
  return (
    <section className="added" aria-labelledby="added-title">
      <h3 id="added-title" role="status">
        Added {written.name} to <code>{written.source_file}</code>
      </h3>
      {written.lock_file ? (
        <p>
          Its definition is locked in <code>{written.lock_file}</code>
          {written.definition_source === 'offline'
            ? ', from the catalog bundled with the UI (Meltano Hub was offline)'
            : ''}
          .
        </p>
      ) : null}
      <p>Meltano needs it installed before it can run: that creates its virtual environment with pip.</p>
      <div className="dialog-actions start">
        <InstallButton type={written.type} name={written.name} />
        <Link to={settings}>Configure {written.name}</Link>
        <button type="button" className="link-button" onClick={onAnother}>
          Add another
        </button>
      </div>
      {!operate.allowed ? <p className="warn-text">Installing: {operate.reason}</p> : null}
    </section>
  );
}
