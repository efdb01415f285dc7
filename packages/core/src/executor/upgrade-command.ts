import fs from 'node:fs';
import type { LaunchCommand } from './launch-runner.js';

/** The ui_launch_locks key an upgrade holds: one `meltano upgrade` at a time, across replicas. */
export const UPGRADE_LOCK_KEY = 'meltano-ui:upgrade';

/** `meltano upgrade` (its default subcommand `all`): pip upgrade of the package, then files and migrations. */
export function upgradeCommand(): LaunchCommand {
  return {
    kind: 'upgrade',
    name: 'meltano',
    args: ['upgrade'],
    env: {},
    stateIds: [],
    lockKeys: [UPGRADE_LOCK_KEY],
  };
}

/** Why Meltano would not upgrade its own package here, in Meltano's words (core/upgrade_service.py). */
export interface UpgradeRefusal {
  reason: string;
  instructions: string;
}

/**
 * Meltano's own refusals that can be told from here before starting it: inside Docker (`/.dockerenv`;
 * MELTANO_UI_CONTAINER_MARKER names another file, for tests that run in a container), or a Nox session.
 * (The third, an editable install from source, is seen in its output afterwards.)
 */
export function upgradeRefusal(
  env: NodeJS.ProcessEnv,
  opts: { containerMarker?: string } = {},
): UpgradeRefusal | null {
  if (fs.existsSync(opts.containerMarker || env.MELTANO_UI_CONTAINER_MARKER || '/.dockerenv')) {
    return {
      reason: 'it is installed inside Docker',
      instructions:
        'pull the latest Docker image using `docker pull meltano/meltano` and recreate any containers you may have created',
    };
  }
  if (env.NOX_CURRENT_SESSION) return { reason: 'it is installed inside a Nox session', instructions: '' };
  return null;
}

/** The sentence Meltano prints when it refuses, then its instructions (it exits 0 all the same). */
export function refusalMessage(refusal: UpgradeRefusal): string {
  const how = refusal.instructions ? ` To upgrade manually, ${refusal.instructions}.` : '';
  return `The \`meltano\` package could not be upgraded automatically because ${refusal.reason}.${how}`;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The refusal Meltano printed (`... could not be upgraded automatically because R.` [+ instructions]). */
export function refusalInOutput(text: string): UpgradeRefusal | null {
  const plain = text.replace(ANSI, '');
  const m = /could not be upgraded automatically because (.+?)\.\s*$/m.exec(plain);
  if (!m?.[1]) return null;
  const how = /^To upgrade manually, (.+?)\.\s*$/m.exec(plain);
  return { reason: m[1], instructions: how?.[1] ?? '' };
}
