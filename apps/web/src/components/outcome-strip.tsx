import { type KeyboardEvent, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { RunOutcome } from '../lib/api-types';
import { counted, duration } from '../lib/format';
import { STATUS_LABELS } from './status-badge';
import './outcome-strip.css';

/** Seconds a run took, or has been running for (a running run's cell grows with it). */
function secondsOf(o: RunOutcome, now: number): number {
  if (o.duration_seconds !== null) return o.duration_seconds;
  return o.started_at ? Math.max(0, (now - Date.parse(o.started_at)) / 1000) : 0;
}

/** "Run 5002, failed, 3 min 2 s": what a cell says to a screen reader and on hover. */
export function outcomeLabel(o: RunOutcome, seconds: number): string {
  const took = o.duration_seconds === null ? `running for ${duration(seconds)}` : duration(seconds);
  return `Run ${o.id}, ${STATUS_LABELS[o.status].toLowerCase()}, ${took}`;
}

/**
 * The last runs, oldest left: one cell per run, its height the run's duration against the longest of
 * them, colour and name its status, each a link to the run. One tab stop for the whole strip; the arrow
 * keys move between its cells (20 stops per row would make a 100-row table unusable by keyboard).
 */
export function OutcomeStrip({ outcomes }: { outcomes: RunOutcome[] }) {
  const [focused, setFocused] = useState<number | null>(null);
  const cells = useRef<(HTMLAnchorElement | null)[]>([]);
  if (outcomes.length === 0) return <span className="muted">—</span>;
  const ordered = [...outcomes].reverse();
  const now = Date.now();
  const seconds = ordered.map((o) => secondsOf(o, now));
  const max = Math.max(...seconds, 1);
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  const current = focused ?? ordered.length - 1;
  const move = (e: KeyboardEvent, index: number) => {
    const next =
      e.key === 'ArrowRight'
        ? index + 1
        : e.key === 'ArrowLeft'
          ? index - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? ordered.length - 1
              : null;
    if (next === null || next < 0 || next >= ordered.length) return;
    e.preventDefault();
    setFocused(next);
    cells.current[next]?.focus();
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a fieldset is for form controls; this groups links
    <span
      className="outcome-strip"
      role="group"
      aria-label={`Last ${counted(outcomes.length, 'run')}: ${failed} failed`}
    >
      {ordered.map((o, i) => {
        const label = outcomeLabel(o, seconds[i] ?? 0);
        // At least a sliver, so a 0.2 s run next to a 2 h one is still there to see and click.
        const height = Math.max(12, Math.round(((seconds[i] ?? 0) / max) * 100));
        return (
          <Link
            key={o.id}
            ref={(el) => {
              cells.current[i] = el;
            }}
            to={`/runs/${o.id}`}
            className={`outcome-cell outcome-${o.status}`}
            aria-label={label}
            title={label}
            tabIndex={i === current ? 0 : -1}
            onKeyDown={(e) => move(e, i)}
            onFocus={() => setFocused(i)}
          >
            <span style={{ height: `${height}%` }} />
          </Link>
        );
      })}
    </span>
  );
}
