import fs from 'node:fs';
import type { CoreContext } from '../core-context.js';
import { type MeltanoAvailability, meltanoAvailability } from './meltano-availability.js';
import { meltanoVersion } from './meltano-version.js';

/** What the UI knows of the Meltano CLI: where it is and whether `meltano --version` answered. */
export interface MeltanoRuntimeStatus extends MeltanoAvailability {
  /** `3.9.5`; null when not found, not asked yet, or it did not answer. */
  version: string | null;
  /** False while the version of the CLI found now is still being asked. */
  checked: boolean;
}

export interface MeltanoRuntime {
  /** Now: the file lookup is redone (cheap); a changed file (path or mtime) is asked again in the background. */
  current(): MeltanoRuntimeStatus;
  /** The status once the CLI found now has been asked (and any re-ask in flight answered), or as it is after `timeoutMs`. */
  settled(timeoutMs: number): Promise<MeltanoRuntimeStatus>;
  /**
   * Asks `meltano --version` again now, even of an unchanged file (an upgrade may change what it answers
   * without touching it), and resolves with the new status.
   */
  recheck(timeoutMs?: number): Promise<MeltanoRuntimeStatus>;
  /** When the last `meltano --version` (re)check began (ms since the epoch); 0 before any. */
  readonly checkedSince: number;
  close(): void;
}

/** A failed CLI is asked again this often, a working one re-checked (Meltano upgraded in place). */
const RECHECK_MS = 5 * 60_000;

/**
 * Finds out once, at start-up and without holding it up, whether the Meltano CLI runs and which
 * version it is, so the first page already knows whether "Run now" can work.
 */
export function createMeltanoRuntime(core: CoreContext, opts: { recheckMs?: number } = {}): MeltanoRuntime {
  let probedKey: string | null = null;
  let probe: Promise<void> | null = null;
  let version: string | null = null;
  let answered = false;
  let askedAt = 0;
  /** The ask in flight: a settled() caller waits for it (just after an upgrade, the new answer). */
  let pending: Promise<void> | null = null;

  const keyOf = (found: MeltanoAvailability) => {
    if (!found.executable) return null;
    try {
      return `${found.executable}@${fs.statSync(found.executable).mtimeMs}`;
    } catch {
      return found.executable;
    }
  };
  const ask = (found: MeltanoAvailability, key: string, fresh: boolean) => {
    // A re-check of the same file keeps showing the last answer until the new one arrives.
    if (probedKey !== key) answered = false;
    probedKey = key;
    askedAt = Date.now();
    const executable = found.executable ?? '';
    const asking: Promise<void> = meltanoVersion(executable, core.env, core.root, { fresh }).then((v) => {
      if (pending === asking) pending = null;
      if (probedKey !== key) return; // a newer file is being asked
      version = v?.text ?? null;
      answered = true;
    });
    probe = asking;
    pending = asking;
    return asking;
  };
  const current = (): MeltanoRuntimeStatus => {
    const found = meltanoAvailability(core);
    const key = keyOf(found);
    if (!found.available || key === null) return { ...found, version: null, checked: true };
    if (key !== probedKey) void ask(found, key, false);
    if (!answered) return { ...found, version: null, checked: false };
    if (version === null) {
      return {
        ...found,
        available: false,
        version: null,
        checked: true,
        reason: `The Meltano CLI at ${found.executable} did not answer \`meltano --version\`: it cannot run here (check its Python environment, or set ui.meltano_executable).`,
      };
    }
    return { ...found, version, checked: true };
  };
  const timer = setInterval(() => {
    const found = meltanoAvailability(core);
    const key = keyOf(found);
    if (found.available && key !== null) void ask(found, key, true);
  }, opts.recheckMs ?? RECHECK_MS);
  timer.unref();
  current();

  return {
    current,
    async settled(timeoutMs) {
      const status = current();
      const waitFor = status.checked ? pending : probe;
      if (!waitFor) return status;
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([waitFor, new Promise((resolve) => (timeout = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timeout);
      return current();
    },
    async recheck(timeoutMs = 20_000) {
      const found = meltanoAvailability(core);
      const key = keyOf(found);
      if (!found.available || key === null) return current();
      const asking = ask(found, key, true);
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([asking, new Promise((resolve) => (timeout = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timeout);
      return current();
    },
    get checkedSince() {
      return askedAt;
    },
    close: () => clearInterval(timer),
  };
}
