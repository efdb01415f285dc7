import { getTimeZone, type TimeZoneMode } from './time-zone';

const UNITS: [number, string][] = [
  [86400, 'd'],
  [3600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/** "3 min ago" / "in 2 h" from an ISO time, relative to `now` (ms). */
export function relativeTime(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 5) return 'just now';
  const [size, unit] = UNITS.find(([s]) => abs >= s) ?? [1, 's'];
  const value = Math.floor(abs / size);
  return seconds < 0 ? `${value} ${unit} ago` : `in ${value} ${unit}`;
}

/** "1 h 5 min", "42 s", "0.3 s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${Math.round(rate * 100)}%`;
}

// Intl formatters are costly to build (a fraction of a millisecond each) and every relative time on a
// page re-renders once a second with its hover title: build each one once.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, options);
    formatters.set(key, f);
  }
  return f;
}

/** Absolute time in the chosen zone (the browser's or UTC, see time-zone.ts), with the zone named. */
export function absoluteTime(iso: string | null | undefined, zone: TimeZoneMode = getTimeZone()): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // timeStyle 'long' names the zone; dateStyle/timeStyle cannot be combined with timeZoneName.
  return formatter(`abs-${zone}`, {
    dateStyle: 'medium',
    timeStyle: 'long',
    ...(zone === 'utc' ? { timeZone: 'UTC' } : {}),
  }).format(date);
}

/** A short axis label: "14:05" within a day, "3 Dec" across days, in the chosen zone. */
export function axisTime(ms: number, spanMs: number, zone: TimeZoneMode = getTimeZone()): string {
  const timeZone = zone === 'utc' ? 'UTC' : undefined;
  const short = spanMs < 36 * 3600_000;
  return formatter(
    `axis-${short}-${zone}`,
    short ? { hour: '2-digit', minute: '2-digit', timeZone } : { day: 'numeric', month: 'short', timeZone },
  ).format(new Date(ms));
}

/** "1 run", "3 runs": `count` with the noun in the number it needs. */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? noun : plural}`;
}
