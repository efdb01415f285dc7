import { CircleAlert, SearchX } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../lib/api-client';
import type { Crumb } from './breadcrumbs';

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}

const PLACES: Crumb[] = [
  { label: 'Pipelines', to: '/' },
  { label: 'Runs', to: '/runs' },
  { label: 'Plugins', to: '/plugins' },
];

/**
 * Something that is not there (a 404, a mistyped address): says so and offers the way back, never
 * "Try again", since asking again cannot make it appear.
 */
export function NotFound({
  title,
  children,
  back = PLACES,
}: {
  title: ReactNode;
  children?: ReactNode;
  back?: Crumb[];
}) {
  return (
    <div role="alert" className="not-found">
      <SearchX size={28} aria-hidden="true" className="state-icon" />
      <div>
        <strong>{title}</strong>
        {children ? <p>{children}</p> : null}
        <p className="not-found-links">
          Go to{' '}
          {back.map((c, i) => (
            <span key={c.label}>
              {i > 0 ? ' · ' : ''}
              <Link to={c.to ?? '/'}>{c.label}</Link>
            </span>
          ))}
        </p>
      </div>
    </div>
  );
}

/** An API or network error, with what to do about it; a 404 is a not-found state instead. */
export function ErrorState({
  what,
  error,
  retry,
  back,
}: {
  what: string;
  error: Error;
  retry?: () => void;
  /** Where to go instead when it does not exist (by default Pipelines, Runs, Plugins). */
  back?: Crumb[];
}) {
  const details = error instanceof ApiError ? error.details : undefined;
  if (error instanceof ApiError && error.status === 404) {
    return (
      <NotFound title={`There is no ${what.replace(/^the /, '')} here.`} back={back}>
        {error.message} It may have been renamed or removed, or the address is mistyped.
      </NotFound>
    );
  }
  const where =
    details && typeof details.file === 'string'
      ? ` (${String(details.file)}${details.line ? `, line ${String(details.line)}` : ''}${details.column ? `, column ${String(details.column)}` : ''})`
      : '';
  return (
    <div role="alert" className="error">
      <CircleAlert size={18} aria-hidden="true" className="state-icon" />
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
