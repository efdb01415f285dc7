import { Link } from 'react-router';
import { Empty, ErrorState, Loading } from '../../components/states';
import { usePlugins } from './api/get-plugins';

/** The project's plugins by type, with inheritance and where each is used. */
export function PluginsPage() {
  const plugins = usePlugins();
  if (plugins.isPending) return <Loading what="plugins" />;
  if (plugins.isError)
    return <ErrorState what="plugins" error={plugins.error} retry={() => void plugins.refetch()} />;
  const types = Object.entries(plugins.data);
  return (
    <>
      <div className="page-head">
        <h2>Plugins</h2>
        <span className="muted">
          Installed in this project, as meltano.yml and its lock files define them
        </span>
      </div>
      {types.length === 0 ? <Empty>This project has no plugins yet.</Empty> : null}
      {types.map(([type, list]) => (
        <div className="table-scroll" key={type}>
          <table className="data">
            <caption>
              {type} <span className="muted">({list.length})</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Variant / inherits from</th>
                <th scope="col">Settings</th>
                <th scope="col">Used by</th>
                <th scope="col">Defined in</th>
              </tr>
            </thead>
            <tbody>
              {list.map((p) => (
                <tr key={p.name}>
                  <th scope="row">
                    <Link to={`/plugins/${encodeURIComponent(type)}/${encodeURIComponent(p.name)}`}>
                      {p.name}
                    </Link>
                    {p.label ? <div className="muted">{p.label}</div> : null}
                  </th>
                  <td>
                    {p.variant ?? <span className="muted">—</span>}
                    {p.inherit_from ? <div className="muted">inherits {p.inherit_from}</div> : null}
                  </td>
                  <td>{p.settings.length}</td>
                  <td>
                    {[
                      ...p.used_by.schedules.map((s) => `schedule ${s}`),
                      ...p.used_by.jobs.map((j) => `job ${j}`),
                    ].join(', ') || <span className="muted">—</span>}
                  </td>
                  <td>
                    <code>{p.source_file}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </>
  );
}
