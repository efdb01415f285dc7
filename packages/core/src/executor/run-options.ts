import { InvalidInputError } from '../errors.js';
import { atLeast, type MeltanoVersion } from './meltano-version.js';

/**
 * Options of a run started from the UI, as the Meltano CLI names them. A schedule runs through
 * `meltano schedule run NAME …`, which hands what follows the name to `meltano elt` (ELT schedules) or
 * `meltano run` (job schedules); a job runs `meltano run`. The two commands spell some options
 * differently and lack others, so each option maps onto the command that will read it.
 */
export interface RunOptions {
  full_refresh?: boolean;
  refresh_catalog?: boolean;
  no_state_update?: boolean;
  state_id_suffix?: string;
  dry_run?: boolean;
  state_strategy?: 'auto' | 'merge' | 'overwrite';
  timeout?: number;
}

export type RunOptionName = keyof RunOptions;
export type RunTarget = 'run' | 'elt';

interface Flag {
  flag: string;
  /** The first Meltano version with the flag (major, minor). */
  since: [number, number];
}

/**
 * From Meltano's `cli/run.py` and `cli/elt.py`, the release each flag first shipped in (git history of
 * meltano/meltano). `meltano elt` has no --no-state-update, --state-id-suffix or --timeout.
 */
const FLAGS: Record<RunOptionName, Partial<Record<RunTarget, Flag>>> = {
  full_refresh: {
    run: { flag: '--full-refresh', since: [1, 97] },
    elt: { flag: '--full-refresh', since: [1, 41] },
  },
  refresh_catalog: {
    run: { flag: '--refresh-catalog', since: [3, 5] },
    elt: { flag: '--refresh-catalog', since: [3, 5] },
  },
  no_state_update: { run: { flag: '--no-state-update', since: [1, 97] } },
  state_id_suffix: { run: { flag: '--state-id-suffix', since: [2, 7] } },
  dry_run: { run: { flag: '--dry-run', since: [1, 102] }, elt: { flag: '--dry', since: [1, 0] } },
  state_strategy: {
    run: { flag: '--state-strategy', since: [3, 8] },
    elt: { flag: '--state-strategy', since: [3, 8] },
  },
  timeout: { run: { flag: '--timeout', since: [4, 0] } },
};

export const RUN_OPTION_NAMES = Object.keys(FLAGS) as RunOptionName[];

/** The options this Meltano version offers for a command (none while its version is unknown). */
export function offeredRunOptions(version: MeltanoVersion | null, target: RunTarget): RunOptionName[] {
  return RUN_OPTION_NAMES.filter((name) => {
    const flag = FLAGS[name][target];
    return flag !== undefined && atLeast(version, ...flag.since);
  });
}

/** Options set to something (false, '' and undefined are "not asked for"). */
export function activeRunOptions(options: RunOptions | null | undefined): RunOptions {
  const active: RunOptions = {};
  for (const [name, value] of Object.entries(options ?? {})) {
    if (value !== undefined && value !== false && value !== '' && value !== null) {
      (active as Record<string, unknown>)[name] = value;
    }
  }
  return active;
}

/**
 * The flags for `options` on `target`, or a 400 naming the first option this Meltano version or
 * command does not have (`details.field` = `options.<name>`).
 */
export function runOptionArgs(
  options: RunOptions | null | undefined,
  target: RunTarget,
  version: MeltanoVersion | null,
): string[] {
  const args: string[] = [];
  for (const [name, value] of Object.entries(activeRunOptions(options)) as [RunOptionName, unknown][]) {
    const flag = FLAGS[name]?.[target];
    const field = { field: `options.${name}` };
    if (flag === undefined) {
      throw new InvalidInputError(
        `'${name}' is not an option of \`meltano ${target}\`${target === 'elt' ? ' (an ELT schedule runs `meltano elt`; jobs run `meltano run`)' : ''}`,
        field,
      );
    }
    if (!atLeast(version, ...flag.since)) {
      const found =
        version === null ? 'a Meltano whose version could not be told' : `Meltano ${version.text}`;
      throw new InvalidInputError(
        `'${name}' (${flag.flag}) needs Meltano ${flag.since.join('.')} or later; this server runs ${found}`,
        field,
      );
    }
    if (typeof value === 'boolean') args.push(flag.flag);
    else args.push(`${flag.flag}=${String(value)}`);
  }
  return args;
}
