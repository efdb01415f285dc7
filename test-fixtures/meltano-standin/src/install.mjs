import { setTimeout as sleep } from 'node:timers/promises';
import { logLine } from './encoding.mjs';

/** Plugin types as the CLI accepts them (singular or plural), to the plural `plugins:` key. */
const TYPES = {
  extractor: 'extractors',
  loader: 'loaders',
  transform: 'transforms',
  orchestrator: 'orchestrators',
  transformer: 'transformers',
  file: 'files',
  utility: 'utilities',
  mapper: 'mappers',
};
for (const plural of Object.values(TYPES)) TYPES[plural] = plural;
const SINGULAR = Object.fromEntries(
  Object.entries(TYPES)
    .filter(([k, v]) => k !== v)
    .map(([k, v]) => [v, k]),
);

export class UsageError extends Error {}

/**
 * `meltano install [--plugin-type TYPE] [TYPE] [NAME...]`, printing the log lines Meltano 3.x prints
 * (to stderr, as structlog does). Nothing is installed. STANDIN_MODE `fail` makes every installable plugin
 * fail, `hang` keeps the first one installing until the process is killed. Returns the exit code.
 */
export async function install(project, rest, opts) {
  let type = opts['plugin-type'] ? TYPES[opts['plugin-type']] : null;
  if (opts['plugin-type'] && !type)
    throw new UsageError(`Invalid value for '--plugin-type': '${opts['plugin-type']}'`);
  let names = rest;
  if (names[0] && TYPES[names[0]]) {
    if (type) throw new UsageError('Use only --plugin-type to specify plugin type');
    type = TYPES[names[0]];
    names = names.slice(1);
  }
  const plugins = project.plugins.filter(
    (p) => (!type || p.type === type) && (names.length === 0 || names.includes(p.name)),
  );
  const mode = process.env.STANDIN_MODE ?? 'ok';
  const delay = Number(process.env.STANDIN_DELAY_MS ?? 20);
  const log = (level, message) => process.stderr.write(`${logLine(new Date(), level, message)}\n`);

  log('info', `Installing ${plugins.length} plugins`);
  let failed = 0;
  let skipped = 0;
  for (const p of plugins) {
    const descriptor = SINGULAR[p.type] ?? p.type;
    const what = `${descriptor} '${p.name}'`;
    if (!p.pip_url) {
      log('info', `Skipped installing ${what}`);
      skipped++;
      continue;
    }
    log('info', `Installing ${what}`);
    await sleep(delay);
    while (mode === 'hang') {
      log('info', `(stand-in) pip is still installing ${p.pip_url}`);
      await sleep(Math.max(delay, 50));
    }
    if (mode === 'fail') {
      const capitalized = descriptor.charAt(0).toUpperCase() + descriptor.slice(1);
      log(
        'error',
        `${capitalized} '${p.name}' could not be installed: (stand-in) pip install ${p.pip_url} failed`,
      );
      failed++;
      continue;
    }
    log('info', `Installed ${what}`);
  }
  const total = plugins.length;
  if (total > 1)
    log(failed > 0 ? 'warning' : 'info', `Installed ${total - failed - skipped}/${total} plugins`);
  if (skipped > 0) log('info', `Skipped installing ${skipped}/${total} plugins`);
  return failed === 0 ? 0 : 1;
}
