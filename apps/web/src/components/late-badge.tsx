import { AlarmClock } from 'lucide-react';
import type { Schedule } from '../lib/api-types';
import { absoluteTime, counted, duration } from '../lib/format';

/**
 * "Late · 3 missed": the orchestrator did not start the schedule when its interval says (no run of its
 * state IDs began within the grace window). Nothing for a schedule that is on time or never late.
 */
export function LateBadge({ lateness }: { lateness: Schedule['lateness'] }) {
  if (lateness.status !== 'late') return null;
  const missed = `${lateness.missed_capped ? 'at least ' : ''}${counted(lateness.missed, 'start')} missed`;
  const title = `Expected to start at ${absoluteTime(lateness.expected_at)}; no run of its state IDs began within ${duration(lateness.grace_seconds)} after it (${missed}). Is its orchestrator running?`;
  return (
    <span className="badge badge-warn late-badge" title={title}>
      <AlarmClock size={14} aria-hidden="true" className="badge-icon" />
      Late
      <span className="badge-detail">
        {' '}
        · {lateness.missed}
        {lateness.missed_capped ? '+' : ''} missed
      </span>
    </span>
  );
}
