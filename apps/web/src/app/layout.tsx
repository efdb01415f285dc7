import type { ReactNode } from 'react';
import { useProject } from '../features/project/api/get-project';

export function Layout({ children }: { children: ReactNode }) {
  const project = useProject();
  const p = project.data;
  return (
    <>
      <header className="top">
        <h1>Meltano UI</h1>
        {p ? (
          <span className="muted">
            {p.name}
            {p.active_environment ? ` · ${p.active_environment}` : ''}
          </span>
        ) : null}
        {p?.readonly ? <span className="badge">Read-only</span> : null}
        {p && !p.authentication ? (
          <span
            className="badge badge-warn"
            title="ui.authentication is off: anyone who can reach this port can use the UI"
          >
            Authentication off
          </span>
        ) : null}
      </header>
      {p?.load_error ? (
        <div role="alert" className="error">
          <strong>Project file error</strong> in {p.load_error.file ?? 'meltano.yml'}
          {p.load_error.line ? ` at line ${p.load_error.line}, column ${p.load_error.column}` : ''}:{' '}
          {p.load_error.message}
        </div>
      ) : null}
      <main>{children}</main>
    </>
  );
}
