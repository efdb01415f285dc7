import { useId } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useProject } from '../../api/get-project';
import { ErrorState, Loading } from '../../components/states';
import type { PluginSetting } from '../../lib/api-types';
import { usePluginSettings } from './api/get-plugin-settings';

const SOURCE_LABELS: Record<PluginSetting['source'], string> = {
  config_override: 'command line',
  env: 'environment variable',
  dotenv: '.env',
  meltano_environment: 'environment in meltano.yml',
  meltano_yml: 'meltano.yml',
  db: 'system database',
  inherited: 'parent plugin',
  default: 'default',
};

function shown(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function SettingRow({ s }: { s: PluginSetting }) {
  return (
    <tr>
      <th scope="row">
        <code>{s.name}</code>
        {s.sensitive ? <span className="tag"> secret</span> : null}
        {s.custom ? <span className="tag"> custom</span> : null}
        {s.label ? <div className="muted">{s.label}</div> : null}
      </th>
      <td className="mono setting-value">
        {s.is_set ? shown(s.value) : <span className="muted">not set</span>}
        {s.conflict ? (
          <div className="warn-text" role="note">
            Meltano refuses this: {s.conflict.keys.join(' and ')} are both set (
            {s.conflict.kind.replaceAll('_', ' ')})
          </div>
        ) : null}
      </td>
      <td>
        {SOURCE_LABELS[s.source]}
        {s.env_var ? <div className="muted mono">{s.env_var}</div> : null}
        {s.inherited_source ? (
          <div className="muted">(parent’s {SOURCE_LABELS[s.inherited_source]})</div>
        ) : null}
      </td>
      <td className="muted mono">{s.env_vars.join(' ')}</td>
      <td className="muted">{s.description}</td>
    </tr>
  );
}

/** A plugin's settings as Meltano resolves them, per environment; secrets are never sent by the server. */
export function PluginSettingsPage() {
  const { type = '', name = '' } = useParams();
  const project = useProject();
  const [params, setParams] = useSearchParams();
  const id = useId();
  const chosen = params.get('environment');
  const environment = chosen ?? project.data?.active_environment ?? null;
  const settings = usePluginSettings(type, name, environment);
  return (
    <>
      <div className="page-head">
        <h2>
          {name} <span className="muted">{type}</span>
        </h2>
        <Link to="/plugins">All plugins</Link>
        <label htmlFor={`${id}-env`} className="filters">
          Environment
          <select
            id={`${id}-env`}
            value={environment ?? ''}
            onChange={(e) =>
              setParams(e.target.value ? { environment: e.target.value } : {}, { replace: true })
            }
          >
            <option value="">none</option>
            {project.data?.environments.map((e) => (
              <option key={e.name} value={e.name}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {settings.isPending ? (
        <Loading what="settings" />
      ) : settings.isError ? (
        <ErrorState what="settings" error={settings.error} retry={() => void settings.refetch()} />
      ) : (
        <div className="table-scroll">
          <table className="data">
            <caption>Settings of {name}</caption>
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">Value</th>
                <th scope="col">From</th>
                <th scope="col">Env vars</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {settings.data.settings.map((s) => (
                <SettingRow key={s.name} s={s} />
              ))}
            </tbody>
          </table>
          {settings.data.undecodable_db_rows > 0 ? (
            <p className="warn-text">
              {settings.data.undecodable_db_rows} value(s) in the system database could not be read and were
              skipped.
            </p>
          ) : null}
        </div>
      )}
    </>
  );
}
