import type { OfferedRunOptions, RunOptions } from '../../lib/api-types';

export type RunOptionName = OfferedRunOptions['options'][number];

/** What each option is called on screen, the flag Meltano reads, and what it does. */
export const RUN_OPTION_TEXT: Record<RunOptionName, { label: string; flag: string; help: string }> = {
  full_refresh: {
    label: 'Full refresh',
    flag: '--full-refresh',
    help: 'Ignore the state of earlier runs: every stream is extracted again from the start.',
  },
  refresh_catalog: {
    label: 'Refresh catalog',
    flag: '--refresh-catalog',
    help: 'Run discovery again instead of using the cached catalog.',
  },
  no_state_update: {
    label: 'No state update',
    flag: '--no-state-update',
    help: 'Run without saving the state it reaches.',
  },
  state_id_suffix: {
    label: 'State ID suffix',
    flag: '--state-id-suffix',
    help: 'Record state under <environment>:<tap>-to-<target>:<suffix> instead (letters, digits, . _ -).',
  },
  dry_run: {
    label: 'Dry run',
    flag: '--dry-run',
    help: 'Parse and explain what would run; nothing is run or written.',
  },
  state_strategy: {
    label: 'State strategy',
    flag: '--state-strategy',
    help: 'How the state of this run is saved: auto (Meltano decides), merge or overwrite.',
  },
  timeout: {
    label: 'Timeout (seconds)',
    flag: '--timeout',
    help: 'Stop the run gracefully after this long.',
  },
};

export const ALL_RUN_OPTIONS = Object.keys(RUN_OPTION_TEXT) as RunOptionName[];

/** "full refresh, state strategy merge": the options set, for a run page or a button. */
export function describeRunOptions(options: RunOptions): string {
  return ALL_RUN_OPTIONS.flatMap((name) => {
    const value = options[name];
    if (value === undefined || value === false) return [];
    const label = RUN_OPTION_TEXT[name].label.replace(/ \(seconds\)$/, '').toLowerCase();
    return [value === true ? label : `${label} ${name === 'timeout' ? `${value} s` : value}`];
  }).join(', ');
}

/** The form's values as the API's options: unset, false and empty values left out. */
export function runOptionsFrom(form: {
  flags: Partial<Record<RunOptionName, boolean>>;
  state_id_suffix: string;
  state_strategy: '' | 'auto' | 'merge' | 'overwrite';
  timeout: string;
}): RunOptions {
  const options: RunOptions = {};
  for (const name of ['full_refresh', 'refresh_catalog', 'no_state_update', 'dry_run'] as const) {
    if (form.flags[name]) options[name] = true;
  }
  const suffix = form.state_id_suffix.trim();
  if (suffix) options.state_id_suffix = suffix;
  if (form.state_strategy) options.state_strategy = form.state_strategy;
  const timeout = Number(form.timeout);
  if (form.timeout.trim() && Number.isInteger(timeout) && timeout > 0) options.timeout = timeout;
  return options;
}
