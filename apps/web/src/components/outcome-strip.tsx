import type { RunOutcome } from '../lib/api-types';
import { STATUS_LABELS } from './status-badge';

/** The last runs as small bars, oldest first; the summary is spelled out for screen readers. */
export function OutcomeStrip({ outcomes }: { outcomes: RunOutcome[] }) {
  if (outcomes.length === 0) return <span className="muted">—</span>;
  const ordered = [...outcomes].reverse();
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  return (
    <span className="strip" role="img" aria-label={`Last ${outcomes.length} runs: ${failed} failed`}>
      {ordered.map((o) => (
        <span
          key={o.id}
          className={`strip-${o.status}`}
          title={`#${o.id} ${STATUS_LABELS[o.status]} ${o.started_at ?? ''}`}
        />
      ))}
    </span>
  );
}
