import { type ReactNode, useEffect, useId, useState } from 'react';
import { useLocation } from 'react-router';
import { useProject } from '../api/get-project';
import { ErrorBoundary } from './error-boundary';
import { Header } from './header';
import { NavRail, useRailCollapsed } from './nav-rail';

type Project = NonNullable<ReturnType<typeof useProject>['data']>;

function LoadErrorBanner({ error }: { error: Project['load_error'] }) {
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
function RunsUnavailableBanner({ meltano }: { meltano: Project['meltano'] | undefined }) {
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

/** Header on top, the navigation rail on the left (a drawer on phones), the page beside it. */
export function Layout({ children }: { children: ReactNode }) {
  const project = useProject();
  const location = useLocation();
  const p = project.data;
  const [collapsed, setCollapsed] = useRailCollapsed();
  const [menuOpen, setMenuOpen] = useState(false);
  const railId = useId();
  // The phone drawer closes once a place is picked.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation only
  useEffect(() => setMenuOpen(false), [location.pathname]);
  return (
    <div className={`shell${collapsed ? ' rail-collapsed' : ''}${menuOpen ? ' menu-open' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header p={p} menuOpen={menuOpen} onMenu={setMenuOpen} railId={railId} />
      <NavRail id={railId} collapsed={collapsed} onCollapse={setCollapsed} />
      <div className="content">
        {project.isError ? (
          <div role="alert" className="error">
            The Meltano UI server cannot be reached: {project.error.message}
          </div>
        ) : null}
        <LoadErrorBanner error={p?.load_error ?? null} />
        <RunsUnavailableBanner meltano={p?.meltano} />
        <main id="main" tabIndex={-1}>
          <ErrorBoundary resetKey={location.pathname}>{children}</ErrorBoundary>
        </main>
      </div>
    </div>
  );
}
