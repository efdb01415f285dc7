import { useId } from 'react';
import { Link } from 'react-router';
import { EnvReferences } from '../../components/env-references';
import { ErrorState, Loading } from '../../components/states';
import type { PipelinePluginSettings, ResolvedSetting } from '../../lib/api-types';
import { type PipelineKind, usePipelineEnvironment } from './api/get-pipeline-environment';
import { settingLayer, shownValue } from './setting-layer';

const NONE = '(none)';

function ValueCell({ s }: { s: ResolvedSetting }) {
  return (
    <td>
      {s.redacted ? (
        <span className="muted" title="A secret: its value is never shown">
          (redacted)
        </span>
      ) : (
        <code>{shownValue(s.value)}</code>
      )}
      {s.expanded && s.expanded_value !== null ? (
        <div className="muted">
          expands to <code>{shownValue(s.expanded_value)}</code>
        </div>
      ) : null}
      {s.expansion_hidden ? (
        <div className="muted">
          expanded at run time (the result is not shown: it reads a variable the UI keeps private)
        </div>
      ) : null}
      <EnvReferences references={s.references} label={`Variables ${s.name} reads`} />
      {s.conflict ? (
        <div className="warn-text">Meltano refuses this value: {s.conflict.keys.join(', ')} disagree</div>
      ) : null}
    </td>
  );
}

function PluginTable({
  plugin,
  environment,
  scheduleEnvVars,
}: {
  plugin: PipelinePluginSettings;
  environment: string | null;
  scheduleEnvVars: string[];
}) {
  const caption = `Settings of ${plugin.name} in ${environment ?? 'no environment'}`;
  const calledAs = plugin.blocks.filter((b) => b !== plugin.name);
  return (
    <section aria-label={`${plugin.type} ${plugin.name}`}>
      <h4>
        {plugin.name} <span className="muted">({plugin.type})</span>
        {calledAs.length > 0 ? <span className="muted"> · run as {calledAs.join(', ')}</span> : null}{' '}
        <Link to={`/plugins/${encodeURIComponent(plugin.type)}/${encodeURIComponent(plugin.name)}`}>
          settings page
        </Link>
      </h4>
      {plugin.settings.length === 0 ? (
        <p className="muted">No settings: nothing is defined or configured for it.</p>
      ) : (
        <table className="data" aria-label={caption}>
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">Value</th>
              <th scope="col">Layer</th>
            </tr>
          </thead>
          <tbody>
            {plugin.settings.map((s) => {
              const layer = settingLayer(s, environment, scheduleEnvVars);
              return (
                <tr key={s.name} className={s.is_set ? undefined : 'muted'}>
                  <th scope="row">
                    <code>{s.name}</code>
                  </th>
                  <ValueCell s={s} />
                  <td title={layer.detail}>
                    {layer.short} <span className="muted">— {layer.detail}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * What a run of the pipeline would use: every setting of each plugin it runs, for the environment a run
 * uses (or another one picked here), with the layer each value came from. Secrets stay redacted.
 */
export function EnvironmentTab({
  kind,
  name,
  picked,
  onPick,
}: {
  kind: PipelineKind;
  name: string;
  /** undefined: the one a run would use; null: no environment. */
  picked: string | null | undefined;
  onPick: (environment: string | null | undefined) => void;
}) {
  const view = usePipelineEnvironment(kind, name, picked);
  const pickerId = useId();
  if (view.isPending) return <Loading what={`the settings ${name} runs with`} />;
  if (view.isError)
    return (
      <ErrorState
        what={`the settings ${name} runs with`}
        error={view.error}
        retry={() => void view.refetch()}
      />
    );
  const v = view.data;
  const runsWith = v.default_environment;
  const current = v.environment ?? NONE;
  return (
    <>
      <div className="environment-picker">
        <label htmlFor={pickerId}>Environment</label>{' '}
        <select
          id={pickerId}
          value={current}
          onChange={(e) => {
            const value = e.target.value;
            const chosen = value === NONE ? null : value;
            onPick(chosen === runsWith ? undefined : chosen);
          }}
        >
          {v.environments.map((e) => (
            <option key={e} value={e}>
              {e}
              {e === v.active_environment ? ' (active)' : ''}
            </option>
          ))}
          <option value={NONE}>No environment{v.active_environment === null ? ' (active)' : ''}</option>
        </select>{' '}
        <span className="muted" role="status">
          {v.environment === runsWith
            ? `Runs started now use ${runsWith ?? 'no environment'}.`
            : `Showing ${v.environment ?? 'no environment'}; runs started now use ${runsWith ?? 'no environment'}.`}
          {kind === 'schedule' && runsWith !== v.active_environment
            ? ` (The schedule sets MELTANO_ENVIRONMENT itself; the workspace's active environment is ${v.active_environment ?? 'none'}.)`
            : null}
        </span>
      </div>
      {v.unknown_blocks.length > 0 ? (
        <p role="alert" className="error">
          These steps name no plugin of the project, so a run would fail on them:{' '}
          {v.unknown_blocks.join(', ')}
        </p>
      ) : null}
      {v.undecodable_db_rows > 0 ? (
        <p className="notice">
          {v.undecodable_db_rows} value(s) in the system database could not be read and are left out, as
          Meltano would fail on them.
        </p>
      ) : null}
      {v.plugins.length === 0 ? <p className="muted">This pipeline runs no plugin of the project.</p> : null}
      {v.plugins.map((p) => (
        <PluginTable
          key={`${p.type}/${p.name}`}
          plugin={p}
          environment={v.environment}
          scheduleEnvVars={v.schedule_env_vars}
        />
      ))}
    </>
  );
}
