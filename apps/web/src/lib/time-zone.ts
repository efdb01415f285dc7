import { useSyncExternalStore } from 'react';

/** How absolute times are shown on every page: the browser's zone or UTC (Meltano stores UTC). */
export type TimeZoneMode = 'local' | 'utc';

const KEY = 'meltano-ui.time-zone';
const listeners = new Set<() => void>();

function read(): TimeZoneMode {
  try {
    return globalThis.localStorage?.getItem(KEY) === 'utc' ? 'utc' : 'local';
  } catch {
    return 'local';
  }
}

let mode: TimeZoneMode = read();

/** The current mode, for formatting outside React (format.ts reads it). */
export function getTimeZone(): TimeZoneMode {
  return mode;
}

export function setTimeZone(next: TimeZoneMode): void {
  if (next === mode) return;
  mode = next;
  try {
    if (next === 'utc') localStorage.setItem(KEY, 'utc');
    else localStorage.removeItem(KEY);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The mode; a component using it re-renders when the toggle changes it. */
export function useTimeZone(): TimeZoneMode {
  return useSyncExternalStore(subscribe, getTimeZone);
}

/** The browser's own zone name ("Europe/Berlin"), for the toggle's label. */
export function localZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'local';
}
