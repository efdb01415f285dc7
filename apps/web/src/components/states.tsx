import type { ReactNode } from 'react';
import { ApiError } from '../lib/api-client';

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}

/** An API or network error, with what to do about it. */
export function ErrorState({ what, error, retry }: { what: string; error: Error; retry?: () => void }) {
  const details = error instanceof ApiError ? error.details : undefined;
  const where =
    details && typeof details.file === 'string'
      ? ` (${String(details.file)}${details.line ? `, line ${String(details.line)}` : ''}${details.column ? `, column ${String(details.column)}` : ''})`
      : '';
  return (
    <div role="alert" className="error">
      <strong>Could not load {what}.</strong> {error.message}
      {where}
      {retry ? (
        <button type="button" className="link-button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}
