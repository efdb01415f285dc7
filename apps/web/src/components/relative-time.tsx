import { useMemo } from 'react';
import { useNow } from '../lib/clock';
import { absoluteTime, duration, relativeTime } from '../lib/format';
import { useTimeZone } from '../lib/time-zone';

/** A relative time that ticks, with the absolute time (in the chosen zone) on hover. */
export function RelativeTime({ iso, prefix }: { iso: string | null | undefined; prefix?: string }) {
  const now = useNow();
  const zone = useTimeZone();
  const title = useMemo(() => absoluteTime(iso, zone), [iso, zone]);
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={title}>
      {prefix ? `${prefix} ` : ''}
      {relativeTime(iso, now)}
    </time>
  );
}

/** An absolute time in the chosen zone, re-rendered when the UTC/local toggle changes. */
export function AbsoluteTime({ iso }: { iso: string | null | undefined }) {
  const zone = useTimeZone();
  if (!iso) return <span className="muted">—</span>;
  return <time dateTime={iso}>{absoluteTime(iso, zone)}</time>;
}

/** A run's duration; while it runs, the time since it started, ticking. */
export function Elapsed({ startedAt, seconds }: { startedAt: string | null; seconds: number | null }) {
  const now = useNow();
  if (seconds !== null) return <>{duration(seconds)}</>;
  if (!startedAt) return <span className="muted">—</span>;
  return <>{duration(Math.max(0, (now - Date.parse(startedAt)) / 1000))}</>;
}
