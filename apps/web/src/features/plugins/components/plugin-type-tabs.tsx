import { Link } from 'react-router';

/** One link per plugin type, the current one marked; counts are the project's plugins of that type. */
export function PluginTypeTabs({
  types,
  current,
  counts,
}: {
  types: readonly string[];
  current: string;
  counts: Record<string, number>;
}) {
  return (
    <nav aria-label="Plugin types" className="type-tabs">
      {types.map((type) => (
        <Link
          key={type}
          to={`/plugins?type=${encodeURIComponent(type)}`}
          className="type-tab"
          aria-current={type === current ? 'page' : undefined}
        >
          {type}
          {counts[type] ? <span className="tab-count"> {counts[type]}</span> : null}
        </Link>
      ))}
    </nav>
  );
}
