import { useNow } from '../lib/clock';
import { absoluteTime, duration, relativeTime } from '../lib/format';

/** A relative time that ticks, with the absolute time on hover and for screen readers. */
export function RelativeTime({ iso, prefix }: { iso: string | null | undefined; prefix?: string }) {
  const now = useNow();
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={absoluteTime(iso)}>
      {prefix ? `${prefix} ` : ''}
      {relativeTime(iso, now)}
    </time>
  );
}

/** A run's duration; while it runs, the time since it started, ticking. */
export function Elapsed({ startedAt, seconds }: { startedAt: string | null; seconds: number | null }) {
  const now = useNow();
  if (seconds !== null) return <>{duration(seconds)}</>;
  if (!startedAt) return <span className="muted">—</span>;
  return <>{duration(Math.max(0, (now - Date.parse(startedAt)) / 1000))}</>;
}
