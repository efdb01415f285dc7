/** A value the interval field can be set to with one click. */
export interface IntervalPreset {
  value: string;
  label: string;
  /** Shown on hover: the cron it stands for, or the Meltano version that first accepts it. */
  hint: string;
}

/**
 * Meltano's named intervals (project format §1.6). `@manual`/`@none` need Meltano 3.0+ and
 * `@midnight`/`@annually` 3.9+; older versions reject them, so they are offered apart.
 */
export const INTERVAL_PRESETS: readonly IntervalPreset[] = [
  { value: '@hourly', label: 'Hourly', hint: '0 * * * * (UTC)' },
  { value: '@daily', label: 'Daily', hint: '0 0 * * * (midnight UTC)' },
  { value: '@weekly', label: 'Weekly', hint: '0 0 * * 0 (Sunday, midnight UTC)' },
  { value: '@monthly', label: 'Monthly', hint: '0 0 1 * * (the 1st, midnight UTC)' },
  { value: '@yearly', label: 'Yearly', hint: '0 0 1 1 * (1 January, midnight UTC)' },
  { value: '@once', label: 'Once', hint: 'Not on a timer: runs only when started' },
];

export const LATER_PRESETS: readonly IntervalPreset[] = [
  { value: '@manual', label: '@manual', hint: 'Not on a timer (Meltano 3.0 and later)' },
  { value: '@none', label: '@none', hint: 'Not on a timer (Meltano 3.0 and later)' },
  { value: '@midnight', label: '@midnight', hint: 'Same as @daily (Meltano 3.9 and later)' },
  { value: '@annually', label: '@annually', hint: 'Same as @yearly (Meltano 3.9 and later)' },
];

/** Cron starting points: editing one is easier than writing five fields from memory. */
export const CRON_EXAMPLES: readonly IntervalPreset[] = [
  { value: '*/15 * * * *', label: 'Every 15 minutes', hint: '*/15 * * * *' },
  { value: '0 */6 * * *', label: 'Every 6 hours', hint: '0 */6 * * *' },
  { value: '0 6 * * *', label: 'Daily at 06:00', hint: '0 6 * * *' },
  { value: '0 6 * * 1-5', label: 'Weekdays at 06:00', hint: '0 6 * * 1-5' },
];

/** Whether the text is a named interval (`@daily`) rather than a cron expression. */
export function isNamedInterval(interval: string): boolean {
  return interval.trim().startsWith('@');
}

/** "10 Jan 2026, 06:00 UTC": cron intervals fire in UTC, so that is the time shown first. */
export function utcTime(iso: string, locale?: string): string {
  return `${new Date(iso).toLocaleString(locale, {
    timeZone: 'UTC',
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })} UTC`;
}
