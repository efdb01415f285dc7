/**
 * Meltano stores run timestamps as naive UTC: SQLite text `YYYY-MM-DD HH:MM:SS[.ffffff]`, PostgreSQL
 * `timestamp without time zone` (read as raw text, which drops trailing zeros of the fraction). Here
 * they become epoch microseconds (integers, so durations are exact) and ISO 8601 `…T…​.ffffffZ`.
 */

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch microseconds of a timestamp text; naive text counts as UTC. Null when it is not one. */
export function timestampToMicros(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime() * 1000;
  if (typeof value !== 'string') return null;
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)] as const;
  const [year, month, day, hour, minute, second] = parts;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(ms).getUTCDate() !== day) return null;
  const micros = Number(frac.padEnd(6, '0').slice(0, 6));
  return ms * 1000 + micros - zoneOffsetMinutes(zone) * 60_000_000;
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}

function split(micros: number): { date: Date; fraction: string } {
  const ms = Math.floor(micros / 1000);
  const fraction = String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');
  return { date: new Date(ms), fraction };
}

/** `2026-11-21T04:39:06.940260Z` */
export function microsToIso(micros: number): string {
  const { date, fraction } = split(micros);
  return `${date.toISOString().slice(0, 19)}.${fraction}Z`;
}

/** `2026-11-21 04:39:06.940260`: the form Meltano writes, so text comparison on SQLite is chronological. */
export function microsToDbText(micros: number): string {
  const { date, fraction } = split(micros);
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)}.${fraction}`;
}

/** A naive-UTC database timestamp as ISO 8601 UTC, or null. */
export function dbTimestampToIso(value: unknown): string | null {
  const micros = timestampToMicros(value);
  return micros === null ? null : microsToIso(micros);
}

/**
 * A naive timestamp whose zone is unknown (`state.updated_at` is the CLI host's local time), as ISO
 * 8601 without a zone designator: `2026-11-21T04:33:21.637379`.
 */
export function naiveTimestampToIso(value: unknown): string | null {
  const micros = timestampToMicros(value);
  return micros === null ? null : microsToIso(micros).slice(0, -1);
}

export function dateToMicros(date: Date): number {
  return date.getTime() * 1000;
}
