import type { TimeZoneMode } from './time-zone';

/** `datetime-local` has no zone: it is read in the zone the UTC/local toggle shows; the API wants ISO UTC. */
export function toIso(value: string, zone: TimeZoneMode): string {
  if (value === '') return '';
  const d = new Date(zone === 'utc' ? `${value}Z` : value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
export function toInput(iso: string, zone: TimeZoneMode): string {
  if (iso === '') return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const offset = zone === 'utc' ? 0 : d.getTimezoneOffset() * 60_000;
  return new Date(d.getTime() - offset).toISOString().slice(0, 16);
}
