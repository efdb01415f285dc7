import type { ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router';
import { useProject } from '../api/get-project';
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

export function Layout({ children }: { children: ReactNode }) {
  const project = useProject();
  const [theme, setTheme] = useTheme();
  const location = useLocation();
  const p = project.data;
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
        </nav>
        {p ? (
          <span className="muted project-name">
            {p.name}
            {p.active_environment ? ` · ${p.active_environment}` : ''}
          </span>
        ) : null}
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
        <label className="theme">
          Theme
          <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
            <option value="system">System</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <AboutButton project={p} />
      </header>
      {project.isError ? (
        <div role="alert" className="error">
          The Meltano UI server cannot be reached: {project.error.message}
        </div>
      ) : null}
      <LoadErrorBanner error={p?.load_error ?? null} />
      <main id="main">
        <ErrorBoundary resetKey={location.pathname}>{children}</ErrorBoundary>
      </main>
    </>
  );
}
