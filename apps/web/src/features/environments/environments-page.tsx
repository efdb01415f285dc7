import { useState } from 'react';
import { Link } from 'react-router';
import { usePermission } from '../../api/get-identity';
import { useProject } from '../../api/get-project';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { EnvReferences } from '../../components/env-references';
import { Empty, ErrorState, Loading } from '../../components/states';
import type { Environment } from '../../lib/api-types';
import { usePageTitle } from '../../lib/use-page-title';
import { DeleteEnvironmentButton, NewEnvironmentForm } from './environment-create-delete';
import { EnvironmentEditor } from './environment-editor';
import { entries, flattenConfig, type OverrideEntry, overrideCount } from './environment-overrides';

function EntryList({ rows, label, title }: { rows: OverrideEntry[]; label: string; title?: string }) {
  if (rows.length === 0) return null;
  return (
    <>
      {title ? (
        <span className="overrides-title" aria-hidden="true">
          {title}
        </span>
      ) : null}
      <dl className="overrides" aria-label={label}>
        {rows.map((r) => (
          <div key={r.key} className="override">
            <dt>
              <code>{r.key}</code>
            </dt>
            <dd>
              <code>{r.value}</code>
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}

function EnvironmentCard({
  environment: e,
  active,
  isDefault,
}: {
  environment: Environment;
  active: boolean;
  isDefault: boolean;
}) {
  const headingId = `environment-${e.name}`;
  const count = overrideCount(e);
  const permission = usePermission('edit_project');
  const [editing, setEditing] = useState(false);
  const blockedBy = isDefault
    ? 'It is default_environment in meltano.yml: change that first'
    : active
      ? "It is this workspace's active environment: switch to another one on the Settings page first"
      : null;
  return (
    <section className="environment card" aria-labelledby={headingId}>
      <div className="card-head">
        <h3 id={headingId}>{e.name}</h3>
        {active ? <span className="badge badge-running">active</span> : null}
        {isDefault ? <span className="badge badge-never">default</span> : null}
        <span className="muted">
          in <code>{e.source_file}</code>
        </span>
        <button
          type="button"
          disabled={!permission.allowed || editing}
          title={permission.reason ?? `Edit environment ${e.name}`}
          onClick={() => setEditing(true)}
        >
          Edit
        </button>
        <DeleteEnvironmentButton environment={e} blockedBy={blockedBy} />
      </div>
      {editing ? <EnvironmentEditor environment={e} onDone={() => setEditing(false)} /> : null}
      {count === 0 ? (
        <p className="muted">Overrides nothing: runs in it use the project's own configuration.</p>
      ) : null}
      {e.state_id_suffix ? (
        <p>
          State ID suffix <code>{e.state_id_suffix}</code>{' '}
          <span className="muted">(job runs record state under env:tap-to-target:suffix)</span>
        </p>
      ) : null}
      {Object.keys(e.env).length > 0 ? (
        <>
          <h4>Environment variables</h4>
          <EntryList rows={entries(e.env)} label={`Environment variables of ${e.name}`} />
          <EnvReferences references={e.env_references} label={`Variables the env of ${e.name} reads`} />
        </>
      ) : null}
      {e.plugin_overrides.map((o) => (
        <div key={`${o.type}/${o.name}`} className="plugin-override">
          <h4>
            <Link to={`/plugins/${encodeURIComponent(o.type)}/${encodeURIComponent(o.name)}`}>{o.name}</Link>{' '}
            <span className="muted">({o.type.replace(/s$/, '')})</span>
          </h4>
          <EntryList
            rows={flattenConfig(o.config)}
            title="config"
            label={`Settings of ${o.name} in ${e.name}`}
          />
          <EntryList
            rows={entries(o.env)}
            title="env"
            label={`Environment variables of ${o.name} in ${e.name}`}
          />
          <EnvReferences
            references={o.env_references}
            label={`Variables the env of ${o.name} in ${e.name} reads`}
          />
          <EntryList
            rows={entries(o.extras)}
            title="other keys (select, metadata, …)"
            label={`Other keys of ${o.name} in ${e.name}`}
          />
          {flattenConfig(o.config).length + Object.keys(o.env).length + Object.keys(o.extras).length === 0 ? (
            <p className="muted">Listed, with nothing overridden.</p>
          ) : null}
        </div>
      ))}
    </section>
  );
}

/** The project's environments and what each overrides; changing them is done in meltano.yml. */
export function EnvironmentsPage() {
  usePageTitle('Environments');
  const project = useProject();
  return (
    <>
      <Breadcrumbs items={[{ label: 'Environments' }]} />
      <div className="page-head">
        <h2>Environments</h2>
        {project.data ? (
          <span className="muted">
            active: <strong>{project.data.active_environment ?? 'none'}</strong> · default:{' '}
            {project.data.default_environment ?? 'none'}
          </span>
        ) : null}
      </div>
      {project.isPending ? (
        <Loading what="environments" />
      ) : project.isError ? (
        <ErrorState what="environments" error={project.error} retry={() => void project.refetch()} />
      ) : project.data.environments.length === 0 ? (
        <>
          <NewEnvironmentForm />
          <Empty>
            This project defines no environments. Add one above, with{' '}
            <code>meltano environment add NAME</code>, or under <code>environments:</code> in meltano.yml.
          </Empty>
        </>
      ) : (
        <>
          <p className="muted intro">
            Runs use the workspace's active environment (chosen on the <Link to="/settings">Settings</Link>{' '}
            page, unless <code>MELTANO_ENVIRONMENT</code> is set). Its settings override the plugins' own;
            secrets are redacted. Changes are written to the file each environment lives in.
          </p>
          <NewEnvironmentForm />
          <div className="cards">
            {project.data.environments.map((e) => (
              <EnvironmentCard
                key={e.name}
                environment={e}
                active={e.name === project.data.active_environment}
                isDefault={e.name === project.data.default_environment}
              />
            ))}
          </div>
        </>
      )}
    </>
  );
}
