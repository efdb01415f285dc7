// `meltano upgrade` of the stand-in (NOT the real Meltano): prints what Meltano 3.x/4.x prints
// (cli/upgrade.py, core/upgrade_service.py) and "upgrades" by writing the new version to a file in the
// project's system dir, which `--version` reports from then on. Nothing is installed.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findProjectRoot } from './project.mjs';

export const BASE_VERSION = '3.9.5';

/** Where the stand-in keeps the version it was "upgraded" to. */
export function versionFile(root) {
  return path.join(
    path.resolve(root, process.env.MELTANO_SYS_DIR_ROOT ?? '.meltano'),
    'standin-meltano-version',
  );
}

/** The version `--version` reports: the upgraded one if this project's stand-in was upgraded. */
export function currentVersion() {
  try {
    const text = fs.readFileSync(versionFile(findProjectRoot()), 'utf8').trim();
    return /^\d+\.\d+\.\d+$/.test(text) ? text : BASE_VERSION;
  } catch {
    return BASE_VERSION;
  }
}

function nextVersion(version) {
  const [major, minor, patch] = version.split('.').map(Number);
  return `${major}.${minor}.${patch + 1}`;
}

/** Meltano's reasons for not upgrading its package, checked in its order. */
function refusal() {
  if (process.env.STANDIN_UPGRADE_EDITABLE && !process.env.MELTANO_UPGRADE_FORCE) {
    return {
      reason: 'it is installed from source',
      instructions: `navigate to \`${process.env.STANDIN_UPGRADE_EDITABLE}\` and run \`git pull\``,
    };
  }
  if (fs.existsSync(process.env.MELTANO_UI_CONTAINER_MARKER || '/.dockerenv')) {
    return {
      reason: 'it is installed inside Docker',
      instructions:
        'pull the latest Docker image using `docker pull meltano/meltano` and recreate any containers you may have created',
    };
  }
  if (process.env.NOX_CURRENT_SESSION)
    return { reason: 'it is installed inside a Nox session', instructions: '' };
  return null;
}

/**
 * `meltano upgrade [all] [--skip-package] [--pip-url URL] [--force]`. STANDIN_UPGRADE_TO is the version
 * pip "finds" (default: the next patch), STANDIN_MODE=fail makes pip fail, STANDIN_DELAY_MS paces the lines.
 * Returns the exit code.
 */
export async function upgrade(project, rest, opts) {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const delay = Number(process.env.STANDIN_DELAY_MS ?? 20);
  const sub = rest[0] ?? 'all';
  if (!['all', 'package', 'files', 'database'].includes(sub)) {
    process.stderr.write(`Error: No such command '${sub}'.\n`);
    return 2;
  }
  const skipPackage = opts['skip-package'] === true || sub === 'files' || sub === 'database';
  if (!skipPackage) {
    out('Upgrading `meltano` package...');
    const refused = refusal();
    if (refused) {
      out(`The \`meltano\` package could not be upgraded automatically because ${refused.reason}.`);
      if (refused.instructions) out(`To upgrade manually, ${refused.instructions}.`);
      if (sub === 'all')
        out(
          'Then, run `meltano upgrade --skip-package` to upgrade your project based on the latest version.',
        );
      return 0;
    }
    const from = currentVersion();
    const to = process.env.STANDIN_UPGRADE_TO ?? nextVersion(from);
    const pipUrl = opts['pip-url'] ?? process.env.MELTANO_UPGRADE_PIP_URL ?? 'meltano';
    const pip = [
      `Collecting ${pipUrl}`,
      `  Downloading meltano-${to}-py3-none-any.whl (3.9 MB)`,
      'Installing collected packages: meltano',
      '  Attempting uninstall: meltano',
      `    Found existing installation: meltano ${from}`,
      `    Uninstalling meltano-${from}:`,
      `      Successfully uninstalled meltano-${from}`,
    ];
    for (const line of pip) {
      out(line);
      await sleep(delay);
    }
    if (process.env.STANDIN_MODE === 'fail') {
      process.stderr.write(`ERROR: Could not install packages due to an OSError (stand-in told to fail)\n`);
      process.stderr.write('Failed to upgrade `meltano`.\n');
      return 1;
    }
    fs.mkdirSync(path.dirname(versionFile(project.root)), { recursive: true });
    fs.writeFileSync(versionFile(project.root), `${to}\n`);
    out(`Successfully installed meltano-${to}`);
    out('The `meltano` package has been upgraded.');
    out();
    if (sub === 'package') return 0;
    // Meltano re-invokes itself (`upgrade --skip-package`) so that the new code does the rest.
    out();
  }
  if (sub === 'all' || sub === 'files') {
    out('Updating files managed by plugins...');
    const files = project.plugins.filter((p) => p.type === 'files');
    if (files.length === 0) out('Nothing to update');
    for (const p of files) out(`Updating file bundle '${p.name}' (stand-in: nothing written)`);
    await sleep(delay);
  }
  if (sub === 'all' || sub === 'database') {
    if (sub === 'all') out();
    out('Applying migrations to system database...');
    await sleep(delay);
  }
  if (sub === 'all') {
    out();
    out('Applying migrations to project state...');
    await sleep(delay);
    out();
    out(
      skipPackage
        ? 'Your Meltano project has been upgraded!'
        : 'Meltano and your Meltano project have been upgraded!',
    );
  }
  return 0;
}
