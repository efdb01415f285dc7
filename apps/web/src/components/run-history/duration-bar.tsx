import type { ReactNode } from 'react';
import type { RunStatus } from '../../lib/api-types';
import './duration-bar.css';

/**
 * A run's duration as text and as a bar against the longest run in view (the bar is decoration; the
 * text carries the value).
 */
export function DurationBar({
  seconds,
  longest,
  status,
  children,
}: {
  seconds: number | null;
  longest: number;
  status: RunStatus;
  /** The duration in words (an Elapsed, which ticks while the run runs). */
  children: ReactNode;
}) {
  if (seconds === null) return <span className="muted">—</span>;
  const share = longest > 0 ? Math.min(1, Math.max(0.02, seconds / longest)) : 0;
  return (
    <span className="duration-bar">
      <span className="duration-bar-text">{children}</span>
      <span className="duration-bar-track" aria-hidden="true">
        <span
          className={`duration-bar-fill fill-${status}`}
          style={{ width: `${(share * 100).toFixed(1)}%` }}
        />
      </span>
    </span>
  );
}
