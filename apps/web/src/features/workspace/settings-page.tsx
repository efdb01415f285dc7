import { useId, useRef, useState } from 'react';
import { usePermission } from '../../api/get-identity';
import { useProject } from '../../api/get-project';
import { ErrorState, Loading } from '../../components/states';
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
  const dialog = useRef<HTMLDialogElement>(null);
  const [confirming, setConfirming] = useState(false);
  const selectId = useId();
  const titleId = useId();
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
          setConfirming(true);
          dialog.current?.showModal();
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
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="confirm-dialog"
        onClose={() => setConfirming(false)}
      >
        {confirming ? (
          <>
            <h2 id={titleId}>Switch the active environment to {named(chosen)}?</h2>
            <p>
              This affects <strong>every pipeline</strong> in this workspace: their settings are loaded from{' '}
              {named(chosen)}, job schedules record their state under its state IDs, and runs started here get{' '}
              {chosen === null ? 'no environment' : <code>--environment={chosen}</code>}. Runs already going
              keep theirs. If others use this workspace, tell them first.
            </p>
            {switching.isError ? (
              <p role="alert" className="inline-error">
                Not switched: {switching.error.message}
              </p>
            ) : null}
            <div className="form-actions">
              <button
                type="button"
                disabled={switching.isPending}
                onClick={() => switching.mutate(chosen, { onSuccess: () => dialog.current?.close() })}
              >
                {switching.isPending ? 'Switching…' : `Switch to ${named(chosen)}`}
              </button>
              <button type="button" onClick={() => dialog.current?.close()}>
                Cancel
              </button>
            </div>
          </>
        ) : null}
      </dialog>
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
      <div className="page-head">
        <h2>Settings</h2>
        <span className="muted">Workspace {p.name}</span>
      </div>
      {/* Keyed by the current value: a switch made elsewhere resets the draft. */}
      <ActiveEnvironmentForm key={p.active_environment ?? NONE} p={p} switching={switching} />
      {switching.isSuccess ? (
        <p role="status">Switched: every pipeline now uses {named(switching.data.active_environment)}.</p>
      ) : null}
    </>
  );
}
