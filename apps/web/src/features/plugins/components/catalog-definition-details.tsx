import type { CatalogDefinition } from '../../../lib/api-types';

/** What adding this variant writes: pip_url, executable, capabilities, and the settings it defines. */
export function CatalogDefinitionDetails({ definition }: { definition: CatalogDefinition }) {
  return (
    <div className="definition-details">
      <dl className="definition">
        <dt>Documentation</dt>
        <dd>
          <a href={definition.docs} target="_blank" rel="noreferrer noopener">
            {definition.docs}
          </a>
        </dd>
        <dt>pip_url</dt>
        <dd>
          <code>{definition.pip_url ?? '—'}</code>
        </dd>
        {definition.executable ? (
          <>
            <dt>Executable</dt>
            <dd>
              <code>{definition.executable}</code>
            </dd>
          </>
        ) : null}
        <dt>Namespace</dt>
        <dd>
          <code>{definition.namespace}</code>
        </dd>
        <dt>Capabilities</dt>
        <dd>{definition.capabilities.join(', ') || <span className="muted">none</span>}</dd>
      </dl>
      <details className="state">
        <summary>
          {definition.settings.length} setting{definition.settings.length === 1 ? '' : 's'}
        </summary>
        {definition.settings.length === 0 ? (
          <p className="muted">It needs no configuration.</p>
        ) : (
          <ul className="definition-settings">
            {definition.settings.map((s) => (
              <li key={s.name}>
                <code>{s.name}</code> {s.label && s.label !== s.name ? <span>{s.label}</span> : null}{' '}
                <span className="tag">{s.kind ?? 'string'}</span>
                {s.sensitive ? <span className="tag">secret</span> : null}
                {s.description ? <div className="muted">{s.description}</div> : null}
              </li>
            ))}
          </ul>
        )}
      </details>
    </div>
  );
}
