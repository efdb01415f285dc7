import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { usePermission } from '../../../api/get-identity';
import { Empty } from '../../../components/states';
import type { CatalogPlugin, PluginCatalog } from '../../../lib/api-types';
import { matchesSearch, orderedVariants, variantLabel } from '../model/catalog-search';
import { PluginLogo } from './plugin-logo';

const PAGE = 40;

/** Where the catalog came from: Meltano Hub, or the bundled one with the reason the hub was not reached. */
export function CatalogSource({
  catalog,
}: {
  catalog: Pick<PluginCatalog, 'source' | 'error' | 'hub_api_url'>;
}) {
  if (catalog.source === 'hub') {
    return <span className="muted">From Meltano Hub</span>;
  }
  return (
    <span className="catalog-offline" role="note">
      <span className="badge badge-warn">Offline</span>{' '}
      <span className="muted">
        Meltano Hub could not be reached ({catalog.error ?? 'no reason given'}); this is the smaller catalog
        bundled with the UI.
      </span>
    </span>
  );
}

function CatalogCard({ plugin, installed }: { plugin: CatalogPlugin; installed: boolean }) {
  const variants = orderedVariants(plugin);
  const [variant, setVariant] = useState(variants[0]?.name ?? plugin.default_variant);
  const editProject = usePermission('edit_project');
  const id = useId();
  const addPath = `/plugins/add/${encodeURIComponent(plugin.type)}?name=${encodeURIComponent(plugin.name)}&variant=${encodeURIComponent(variant)}`;
  return (
    <li className="catalog-card">
      <PluginLogo name={plugin.name} label={plugin.label} url={plugin.logo_url} />
      <div className="catalog-text">
        <strong>{plugin.label ?? plugin.name}</strong> <code className="muted">{plugin.name}</code>
        {plugin.description ? <p className="muted">{plugin.description}</p> : null}
      </div>
      <div className="catalog-actions">
        {variants.length > 1 ? (
          <label htmlFor={`${id}-variant`} className="sr-only">
            Variant of {plugin.name}
          </label>
        ) : null}
        {variants.length > 1 ? (
          <select id={`${id}-variant`} value={variant} onChange={(e) => setVariant(e.target.value)}>
            {variants.map((v) => (
              <option key={v.name} value={v.name}>
                {variantLabel(plugin, v)}
              </option>
            ))}
          </select>
        ) : (
          <span className="muted">{variant}</span>
        )}
        {installed ? (
          <span className="badge badge-success">In project</span>
        ) : editProject.allowed ? (
          <Link className="button-link" to={addPath} aria-label={`Add ${plugin.name}`}>
            Add
          </Link>
        ) : (
          <button
            type="button"
            disabled
            title={editProject.reason ?? 'Not allowed'}
            aria-label={`Add ${plugin.name}`}
          >
            Add
          </button>
        )}
      </div>
    </li>
  );
}

/** The discoverable plugins of one type, searchable; the project's own are marked, not offered again. */
export function CatalogList({
  type,
  catalog,
  installedNames,
}: {
  type: string;
  catalog: PluginCatalog;
  installedNames: ReadonlySet<string>;
}) {
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const id = useId();
  const all = catalog.plugins[type] ?? [];
  const found = useMemo(() => all.filter((p) => matchesSearch(p, query)), [all, query]);
  return (
    <section aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <h3 id={`${id}-title`}>Catalog</h3>
        <CatalogSource catalog={catalog} />
      </div>
      <div className="filters">
        <label>
          Search {type}
          <input
            type="search"
            value={query}
            placeholder="name, label or description"
            onChange={(e) => {
              setQuery(e.target.value);
              setLimit(PAGE);
            }}
          />
        </label>
        <span className="muted" aria-live="polite">
          {found.length} of {all.length}
        </span>
      </div>
      {all.length === 0 ? (
        <Empty>The catalog has no {type}.</Empty>
      ) : found.length === 0 ? (
        <Empty>Nothing in the catalog matches “{query}”.</Empty>
      ) : (
        <ul className="catalog" aria-label={`Catalog of ${type}`}>
          {found.slice(0, limit).map((p) => (
            <CatalogCard key={p.name} plugin={p} installed={installedNames.has(p.name)} />
          ))}
        </ul>
      )}
      {found.length > limit ? (
        <button type="button" onClick={() => setLimit(limit + PAGE * 5)}>
          Show more ({found.length - limit} left)
        </button>
      ) : null}
    </section>
  );
}
