import type { ReactNode } from 'react';
import { NavLink, useLocation, useNavigate } from 'react-router';
import { useIdentity } from '../api/get-identity';
import { useProject } from '../api/get-project';
import { TimeZoneToggle } from '../components/time-zone-toggle';
import { useSignOut } from '../features/auth/api/sign-in';
import { WorkspaceMenu } from '../features/deployments/workspace-menu';
import { activeEnvironmentSource } from '../features/workspace/active-environment-source';
import { AboutButton } from './about-dialog';
import { ErrorBoundary } from './error-boundary';
import { type Theme, useTheme } from './theme';

function LoadErrorBanner({
  error,
}: {
  error: NonNullable<ReturnType<typeof useProject>['data']>['load_error'];
}) {
  if (!error) return null;
  return (
    <div role="alert" className="error">
      <strong>meltano.yml cannot be read</strong>
      {error.file ? (
        <>
          {' '}
          — <code>{error.file}</code>
          {error.line ? `, line ${error.line}, column ${error.column}` : ''}
        </>
      ) : null}
      <pre className="error-detail">{error.message}</pre>
      Runs and logs still work; pipelines come back as soon as the file is fixed.
    </div>
  );
}

/**
 * Said on every page, before anyone clicks "Run now": without the Meltano CLI nothing can run here. One
 * line, since a UI-only deployment shows it for good; the setting to fix it is one click away.
 */
function RunsUnavailableBanner({
  meltano,
}: {
  meltano: NonNullable<ReturnType<typeof useProject>['data']>['meltano'] | undefined;
}) {
  if (!meltano || meltano.available) return null;
  return (
    <details role="status" className="notice banner">
      <summary>
        <strong>Runs and installs are unavailable on this server:</strong> the Meltano CLI was not found. Runs
        started elsewhere are still shown, with their logs.
      </summary>
      <p>{meltano.reason}</p>
    </details>
  );
}

/** The workspace's active environment, on every page: what every pipeline loads its settings from. */
function ActiveEnvironment({ p }: { p: NonNullable<ReturnType<typeof useProject>['data']> }) {
  const name = p.active_environment ?? 'none';
  const locked = p.active_environment_locked_reason !== null;
  return (
    <NavLink
      to="/settings"
      className="active-environment"
      aria-label={`Active environment: ${name}${locked ? ' (locked)' : ''}`}
      title={`Active environment: ${name}, from ${activeEnvironmentSource(p)}${locked ? ' (locked)' : ''}`}
    >
      <span className="muted">Environment:</span> <span className="env-name">{name}</span>
      {locked ? <span className="muted"> (locked)</span> : null}
    </NavLink>
  );
}

function UserMenu() {
  const identity = useIdentity().data;
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  if (!identity?.authentication) return null;
  if (!identity.user) {
    return (
      <span className="user-menu">
        <span className="muted">Anonymous (read only)</span>{' '}
        <NavLink to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`}>
          Sign in
        </NavLink>
      </span>
    );
  }
  return (
    <span className="user-menu">
      <NavLink to="/account" title={`Role: ${identity.user.role}`}>
        {identity.user.username}
      </NavLink>{' '}
      <button
        type="button"
        className="link-button"
        disabled={signOut.isPending}
        onClick={() => {
          // First, while this menu is still mounted: signing out swaps the whole app for the sign-in page.
          void navigate('/');
          signOut.mutate();
        }}
      >
        Sign out
      </button>
    </span>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const project = useProject();
  const [theme, setTheme] = useTheme();
  const location = useLocation();
  const p = project.data;
  const identity = useIdentity().data;
  // With sign-in on, admins manage users here; with it off, accounts are only prepared (CLI or here).
  const showUsers = identity?.permissions.manage_users.allowed === true && identity.authentication;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <h1>
          <NavLink to="/">Meltano UI</NavLink>
        </h1>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Pipelines
          </NavLink>
          <NavLink to="/runs">Runs</NavLink>
          <NavLink to="/plugins">Plugins</NavLink>
          <NavLink to="/environments">Environments</NavLink>
          <NavLink to="/deployments">Deployments</NavLink>
          {showUsers ? <NavLink to="/users">Users</NavLink> : null}
          <NavLink to="/settings">Settings</NavLink>
        </nav>
        {p ? (
          <>
            <span className="muted project-name">{p.name}</span>
            <ActiveEnvironment p={p} />
          </>
        ) : null}
        <WorkspaceMenu />
        <span className="badges">
          {p?.readonly ? (
            <span className="badge badge-warn" title="ui.readonly: every change is refused">
              Read-only
            </span>
          ) : p?.project_readonly ? (
            <span className="badge badge-warn" title="project_readonly: project files cannot be changed here">
              Project read-only
            </span>
          ) : null}
          {p && !p.authentication ? (
            <span
              className="badge badge-warn"
              title="ui.authentication is off: anyone who can reach this port can use the UI"
            >
              Authentication off
            </span>
          ) : null}
        </span>
        <TimeZoneToggle />
        <label className="theme">
          <span className="sr-only">Theme</span>
          <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
            <option value="system">System</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <AboutButton project={p} />
        <UserMenu />
      </header>
      {project.isError ? (
        <div role="alert" className="error">
          The Meltano UI server cannot be reached: {project.error.message}
        </div>
      ) : null}
      <LoadErrorBanner error={p?.load_error ?? null} />
      <RunsUnavailableBanner meltano={p?.meltano} />
      <main id="main">
        <ErrorBoundary resetKey={location.pathname}>{children}</ErrorBoundary>
      </main>
    </>
  );
}
