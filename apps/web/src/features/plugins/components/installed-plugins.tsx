import { Link } from 'react-router';
import { Empty } from '../../../components/states';
import type { Environment, Plugin } from '../../../lib/api-types';
import { singular } from '../model/plugin-types';
import { pluginUsers } from '../model/plugin-users';
import { InstallButton } from './install-button';
import { PluginLogo } from './plugin-logo';
import { RemovePluginButton } from './remove-plugin-dialog';

const settingsPath = (p: Plugin) => `/plugins/${encodeURIComponent(p.type)}/${encodeURIComponent(p.name)}`;

/** The project's plugins of one type: where each is defined, what uses it, install and remove. */
export function InstalledPlugins({
  type,
  plugins,
  all,
  environments,
}: {
  type: string;
  plugins: Plugin[];
  all: Plugin[];
  environments: Environment[];
}) {
  if (plugins.length === 0) {
    return <Empty>This project has no {type} yet. Add one from the catalog below.</Empty>;
  }
  return (
    <div className="table-scroll">
      <table className="data plugins-table">
        <caption>
          Installed {type} <span className="muted">({plugins.length})</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Variant / inherits from</th>
            <th scope="col">Used by</th>
            <th scope="col">Defined in</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {plugins.map((p) => {
            const users = pluginUsers(p, all, environments);
            const usedBy = [
              ...users.schedules.map((s) => `schedule ${s}`),
              ...users.jobs.map((j) => `job ${j}`),
              ...users.plugins.map((c) => `plugin ${c}`),
            ];
            return (
              <tr key={p.name}>
                <th scope="row">
                  <span className="plugin-name">
                    <PluginLogo name={p.name} label={p.label} url={p.logo_url} />
                    <span>
                      <Link to={settingsPath(p)}>{p.name}</Link>
                      {p.label && p.label !== p.name ? <div className="muted">{p.label}</div> : null}
                    </span>
                  </span>
                </th>
                <td data-label="Variant">
                  {p.variant ?? <span className="muted">—</span>}
                  {p.inherit_from ? <div className="muted">inherits {p.inherit_from}</div> : null}
                </td>
                <td data-label="Used by">{usedBy.join(', ') || <span className="muted">—</span>}</td>
                <td data-label="Defined in">
                  <code>{p.source_file}</code>
                </td>
                <td data-label="Actions">
                  <span className="row-actions">
                    <Link to={settingsPath(p)} aria-label={`Configure ${p.name}`}>
                      Configure
                    </Link>
                    <InstallButton type={p.type} name={p.name} compact />
                    <RemovePluginButton plugin={p} users={users} what={singular(type)} />
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
