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
  /** The status once the CLI found now has been asked, or as it is after `timeoutMs`. */
  settled(timeoutMs: number): Promise<MeltanoRuntimeStatus>;
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
    const executable = found.executable ?? '';
    const asking = meltanoVersion(executable, core.env, core.root, { fresh }).then((v) => {
      if (probedKey !== key) return; // a newer file is being asked
      version = v?.text ?? null;
      answered = true;
    });
    probe = asking;
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
      if (status.checked || !probe) return status;
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([probe, new Promise((resolve) => (timeout = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timeout);
      return current();
    },
    close: () => clearInterval(timer),
  };
}
