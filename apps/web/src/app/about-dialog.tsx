import { useRef } from 'react';
import { API_ROOT } from '../lib/api-client';
import type { Project } from '../lib/api-types';

/** Version and where things are: the UI, the project, the database (password masked by the API). */
export function AboutButton({ project }: { project: Project | undefined }) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" className="link-button" onClick={() => dialog.current?.showModal()}>
        About
      </button>
      <dialog ref={dialog} aria-labelledby="about-title" className="about">
        <h2 id="about-title">About this Meltano UI</h2>
        {project ? (
          <dl className="definition">
            <dt>UI version</dt>
            <dd>{project.ui_version}</dd>
            <dt>Project</dt>
            <dd>
              {/* The absolute path is shown to admins only. */}
              <code>{project.root ?? project.name}</code>
            </dd>
            <dt>Project ID</dt>
            <dd>{project.project_id ?? '—'}</dd>
            <dt>Environment</dt>
            <dd>
              {project.active_environment ?? 'none'}{' '}
              <span className="muted">(default {project.default_environment ?? 'none'})</span>
            </dd>
            <dt>Files</dt>
            <dd>
              {project.files.map((f) => (
                <div key={f}>
                  <code>{f}</code>
                </div>
              ))}
            </dd>
            <dt>System database</dt>
            <dd>
              <code>{project.database.uri}</code>
            </dd>
            <dt>API</dt>
            <dd>
              <a href={`${API_ROOT}/docs`}>{API_ROOT}/docs</a> ·{' '}
              <a href={`${API_ROOT}/openapi.json`}>openapi.json</a>
            </dd>
          </dl>
        ) : (
          <p>Project details are not available.</p>
        )}
        <form method="dialog">
          <button type="submit">Close</button>
        </form>
      </dialog>
    </>
  );
}
