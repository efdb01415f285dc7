import { useId, useState } from 'react';
import { usePermission } from '../../api/get-identity';
import { useProject } from '../../api/get-project';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { ConfirmDialog, useConfirmDialog } from '../../components/confirm-dialog';
import { ErrorState, Loading } from '../../components/states';
import { TimeZoneToggle } from '../../components/time-zone-toggle';
import type { Project } from '../../lib/api-types';
import { usePageTitle } from '../../lib/use-page-title';
import { activeEnvironmentSource } from './active-environment-source';
import { useSwitchActiveEnvironment } from './api/switch-active-environment';

const NONE = '(none)';
const named = (environment: string | null) => environment ?? 'no environment';

type Switching = ReturnType<typeof useSwitchActiveEnvironment>;

function ActiveEnvironmentForm({ p, switching }: { p: Project; switching: Switching }) {
  const permission = usePermission('switch_environment');
  const [draft, setDraft] = useState<string>(p.active_environment ?? NONE);
  const confirm = useConfirmDialog();
  const selectId = useId();
  const locked = p.active_environment_locked_reason;
  const disabledReason = locked ?? (permission.allowed ? null : permission.reason);
  const chosen = draft === NONE ? null : draft;
  const unchanged = chosen === p.active_environment;
  return (
    <section aria-labelledby={`${selectId}-heading`}>
      <h3 id={`${selectId}-heading`}>Active environment</h3>
      <p>
        Every pipeline of this workspace loads its configuration from the active environment: plugin settings,
        the state IDs of job schedules, and the <code>--environment</code> of runs started here.
      </p>
      <p>
        Now: <strong>{named(p.active_environment)}</strong>{' '}
        <span className="muted">({activeEnvironmentSource(p)})</span>
      </p>
      {p.active_environment_ignored_choice ? (
        <p className="notice">
          The environment chosen here, <code>{p.active_environment_ignored_choice}</code>, is no longer in the
          project (renamed or removed in meltano.yml), so the default applies until another is chosen.
        </p>
      ) : null}
      {p.active_environment_unavailable ? (
        <p className="notice" role="alert">
          {p.active_environment_unavailable}
        </p>
      ) : null}
      {locked ? (
        <p className="notice" role="note">
          Locked: {locked}
        </p>
      ) : null}
      <form
        className="environment-picker"
        onSubmit={(e) => {
          e.preventDefault();
          switching.reset();
          confirm.open();
        }}
      >
        <label htmlFor={selectId}>Active environment</label>
        <select
          id={selectId}
          value={draft}
          disabled={disabledReason !== null}
          title={disabledReason ?? undefined}
          onChange={(e) => setDraft(e.target.value)}
        >
          {p.environments.map((e) => (
            <option key={e.name} value={e.name}>
              {e.name}
              {e.name === p.default_environment ? ' (default_environment)' : ''}
            </option>
          ))}
          <option value={NONE}>No environment</option>
        </select>
        <button
          type="submit"
          disabled={disabledReason !== null || unchanged}
          title={disabledReason ?? undefined}
        >
          Save
        </button>
        {disabledReason && !locked ? <span className="muted">{disabledReason}</span> : null}
      </form>
      <ConfirmDialog
        control={confirm}
        title={`Switch the active environment to ${named(chosen)}?`}
        confirmLabel={`Switch to ${named(chosen)}`}
        pendingLabel="Switching…"
        pending={switching.isPending}
        error={switching.isError ? `Not switched: ${switching.error.message}` : null}
        onConfirm={() => switching.mutate(chosen, { onSuccess: confirm.close })}
      >
        <p>
          This affects <strong>every pipeline</strong> in this workspace: their settings are loaded from{' '}
          {named(chosen)}, job schedules record their state under its state IDs, and runs started here get{' '}
          {chosen === null ? 'no environment' : <code>--environment={chosen}</code>}. Runs already going keep
          theirs. If others use this workspace, tell them first.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** Settings of this workspace (one running UI over one project checkout). */
export function SettingsPage() {
  usePageTitle('Settings');
  const project = useProject();
  // Here, not in the form: the form is rebuilt when the switch lands, the message must stay.
  const switching = useSwitchActiveEnvironment();
  if (project.isPending) return <Loading what="the workspace settings" />;
  if (project.isError)
    return (
      <ErrorState what="the workspace settings" error={project.error} retry={() => void project.refetch()} />
    );
  const p = project.data;
  return (
    <>
      <Breadcrumbs items={[{ label: 'Settings' }]} />
      <div className="page-head">
        <h2>Settings</h2>
        <span className="muted">Workspace {p.name}</span>
      </div>
      {/* Keyed by the current value: a switch made elsewhere resets the draft. */}
      <ActiveEnvironmentForm key={p.active_environment ?? NONE} p={p} switching={switching} />
      {switching.isSuccess ? (
        <p role="status">Switched: every pipeline now uses {named(switching.data.active_environment)}.</p>
      ) : null}
      <section aria-labelledby="display-heading">
        <h3 id="display-heading">Display</h3>
        <p className="muted">Kept in this browser: every page shows times in the zone chosen here.</p>
        <TimeZoneToggle />
      </section>
    </>
  );
}
