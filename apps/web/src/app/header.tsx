import { Menu, X } from 'lucide-react';
import { NavLink, useLocation, useNavigate } from 'react-router';
import { useIdentity } from '../api/get-identity';
import type { useProject } from '../api/get-project';
import { useSignOut } from '../features/auth/api/sign-in';
import { WorkspaceMenu } from '../features/deployments/workspace-menu';
import { MeltanoVersion } from '../features/meltano/meltano-version';
import { activeEnvironmentSource } from '../features/workspace/active-environment-source';
import { AboutButton } from './about-dialog';
import { PaletteLauncher } from './command-palette/palette-launcher';
import { Logo } from './logo';
import { type Theme, useTheme } from './theme';

type Project = NonNullable<ReturnType<typeof useProject>['data']>;

/** The workspace's active environment, on every page: what every pipeline loads its settings from. */
function ActiveEnvironment({ p }: { p: Project }) {
  const name = p.active_environment ?? 'none';
  const locked = p.active_environment_locked_reason !== null;
  return (
    <NavLink
      to="/settings"
      className="active-environment"
      aria-label={`Active environment: ${name}${locked ? ' (locked)' : ''}`}
      title={`Active environment: ${name}, from ${activeEnvironmentSource(p)}${locked ? ' (locked)' : ''}`}
    >
      <span className="muted env-caption">Environment:</span> <span className="env-name">{name}</span>
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
          signOut.mutate({ viaProvider: identity.user?.origin === 'oidc' });
        }}
      >
        Sign out
      </button>
    </span>
  );
}

/** Read-only, authentication off, runs unavailable: what limits this server, said on every page. */
function Badges({ p }: { p: Project | undefined }) {
  if (!p) return null;
  return (
    <span className="badges">
      {p.readonly ? (
        <span className="badge badge-warn" title="ui.readonly: every change is refused">
          Read-only
        </span>
      ) : p.project_readonly ? (
        <span className="badge badge-warn" title="project_readonly: project files cannot be changed here">
          Project read-only
        </span>
      ) : null}
      {!p.authentication ? (
        <span
          className="badge badge-warn"
          title="ui.authentication is off: anyone who can reach this port can use the UI"
        >
          Authentication off
        </span>
      ) : null}
      {!p.meltano.available ? (
        <span className="badge badge-bad" title={p.meltano.reason ?? 'The Meltano CLI was not found'}>
          Runs unavailable
        </span>
      ) : null}
    </span>
  );
}

export function Header({
  p,
  menuOpen,
  onMenu,
  railId,
}: {
  p: Project | undefined;
  menuOpen: boolean;
  onMenu: (open: boolean) => void;
  railId: string;
}) {
  const [theme, setTheme] = useTheme();
  const MenuIcon = menuOpen ? X : Menu;
  return (
    <header className="top">
      <button
        type="button"
        className="icon-button menu-button"
        aria-expanded={menuOpen}
        aria-controls={railId}
        onClick={() => onMenu(!menuOpen)}
      >
        <MenuIcon size={20} aria-hidden="true" />
        <span className="sr-only">Menu</span>
      </button>
      <h1>
        <NavLink to="/" className="home-link" aria-label="Meltano UI, home">
          <Logo />
        </NavLink>
      </h1>
      {p ? (
        <span className="project">
          <span className="project-name" title={`Project ${p.name}`}>
            {p.name}
          </span>
          <ActiveEnvironment p={p} />
        </span>
      ) : null}
      <WorkspaceMenu />
      <span className="header-spacer" />
      <MeltanoVersion executable={p?.meltano.executable ?? null} />
      <Badges p={p} />
      <PaletteLauncher />
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
  );
}
