import { useId } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useIdentity, usePermission } from '../../api/get-identity';
import { useProject } from '../../api/get-project';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { Empty, ErrorState, Loading } from '../../components/states';
import { usePageTitle } from '../../lib/use-page-title';
import { usePluginSettings } from './api/get-plugin-settings';
import { usePlugins } from './api/get-plugins';
import { InstallButton } from './components/install-button';
import { PluginLogo } from './components/plugin-logo';
import { RemovePluginButton } from './components/remove-plugin-dialog';
import { SettingsForm } from './components/settings-form';
import { singular } from './model/plugin-types';
import { pluginUsers } from './model/plugin-users';

/**
 * A plugin's settings as Meltano resolves them in an environment, each with a control for its kind; values
 * are written where `meltano config set` would write them. Secret values never reach the browser.
 */
export default function PluginSettingsPage() {
  const { type = '', name = '' } = useParams();
  usePageTitle(name, 'Plugins');
  const project = useProject();
  const plugins = usePlugins();
  const identity = useIdentity();
  const editSettings = usePermission('edit_settings');
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const id = useId();
  const environment = params.get('environment') ?? project.data?.active_environment ?? null;
  const settings = usePluginSettings(type, name, environment);
  const plugin = plugins.data?.[type]?.find((p) => p.name === name);
  const all = Object.values(plugins.data ?? {}).flat();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: 'Plugins', to: '/plugins' },
          { label: type, to: `/plugins?type=${encodeURIComponent(type)}` },
          { label: name },
        ]}
      />
      <div className="page-head">
        {plugin ? <PluginLogo name={plugin.name} label={plugin.label} url={plugin.logo_url} /> : null}
        <h2>
          {name} <span className="muted">{singular(type)}</span>
        </h2>
        <Link to={`/plugins?type=${encodeURIComponent(type)}`}>All {type}</Link>
        {plugin?.docs ? (
          <a href={plugin.docs} target="_blank" rel="noreferrer noopener">
            Documentation
          </a>
        ) : null}
        <label htmlFor={`${id}-env`} className="filters">
          Environment
          <select
            id={`${id}-env`}
            value={environment ?? ''}
            onChange={(e) =>
              setParams(e.target.value ? { environment: e.target.value } : {}, { replace: true })
            }
          >
            {environment === null ? <option value="">none</option> : null}
            {project.data?.environments.map((e) => (
              <option key={e.name} value={e.name}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
        {plugin ? (
          <span className="row-actions">
            <InstallButton type={type} name={name} compact />
            <RemovePluginButton
              plugin={plugin}
              users={pluginUsers(plugin, all, project.data?.environments ?? [])}
              what={singular(type)}
              onRemoved={() => navigate(`/plugins?type=${encodeURIComponent(type)}`)}
            />
          </span>
        ) : null}
      </div>
      {plugin ? (
        <p className="muted plugin-summary">
          {plugin.variant ? `Variant ${plugin.variant}. ` : ''}
          {plugin.inherit_from ? `Inherits from ${plugin.inherit_from}. ` : ''}
          Defined in <code>{plugin.source_file}</code>
          {plugin.lock_file ? (
            <>
              , locked in <code>{plugin.lock_file}</code>
            </>
          ) : null}
          .
        </p>
      ) : null}
      {!editSettings.allowed ? (
        <p className="warn-box" role="note">
          You cannot change settings here: {editSettings.reason}
        </p>
      ) : identity.data?.readonly.project ? (
        <p className="muted" role="note">
          The project is read-only: values are saved to the system database, as Meltano does.
        </p>
      ) : null}
      {settings.isPending ? (
        <Loading what="settings" />
      ) : settings.isError ? (
        <ErrorState
          what={`plugin ${name}`}
          error={settings.error}
          retry={() => void settings.refetch()}
          back={[
            { label: `All ${type}`, to: `/plugins?type=${encodeURIComponent(type)}` },
            { label: 'Pipelines', to: '/' },
          ]}
        />
      ) : settings.data.settings.length === 0 ? (
        <Empty>{name} has no settings.</Empty>
      ) : (
        <>
          <SettingsForm
            key={settings.data.environment ?? ''}
            settings={settings.data.settings}
            type={type}
            name={name}
            environment={settings.data.environment}
            noPermission={editSettings.allowed ? null : (editSettings.reason ?? 'not allowed')}
            projectReadonly={identity.data?.readonly.project ?? false}
          />
          {settings.data.undecodable_db_rows > 0 ? (
            <p className="warn-text">
              {settings.data.undecodable_db_rows} value(s) in the system database could not be read and were
              skipped.
            </p>
          ) : null}
        </>
      )}
    </>
  );
}
