// Just enough of a Meltano project for the stand-in: meltano.yml, .env, database_uri, plugins, jobs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

export function findProjectRoot(cwd = process.cwd()) {
  if (process.env.MELTANO_PROJECT_ROOT) return path.resolve(process.env.MELTANO_PROJECT_ROOT);
  let dir = path.resolve(cwd);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'meltano.yml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find a Meltano project (meltano.yml) here or above');
    dir = parent;
  }
}

function readDotenv(root) {
  const file = path.join(root, '.env');
  if (!fs.existsSync(file)) return {};
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^'(.*)'$|^"(.*)"$/, '$1$2');
  }
  return out;
}

export function loadProject(root) {
  const doc = parse(fs.readFileSync(path.join(root, 'meltano.yml'), 'utf8')) ?? {};
  const plugins = [];
  for (const [type, list] of Object.entries(doc.plugins ?? {})) {
    for (const p of list ?? []) plugins.push({ ...p, type });
  }
  const sysDir = path.resolve(root, process.env.MELTANO_SYS_DIR_ROOT ?? '.meltano');
  const dotenv = readDotenv(root);
  const uri =
    process.env.MELTANO_DATABASE_URI ??
    dotenv.MELTANO_DATABASE_URI ??
    (doc.database_uri ? String(doc.database_uri).replace('$MELTANO_PROJECT_ROOT', root) : undefined) ??
    `sqlite:///${path.join(sysDir, 'meltano.db')}`;
  const environment =
    process.env.MELTANO_ENVIRONMENT ?? dotenv.MELTANO_ENVIRONMENT ?? doc.default_environment ?? null;
  const stateBackendUri =
    process.env.MELTANO_STATE_BACKEND_URI ??
    dotenv.MELTANO_STATE_BACKEND_URI ??
    doc['state_backend.uri'] ??
    doc.state_backend?.uri ??
    'systemdb';
  return {
    root,
    doc,
    stateBackendUri: String(stateBackendUri),
    plugins,
    sysDir,
    databaseUri: uri,
    environment,
    schedules: doc.schedules ?? [],
    jobs: doc.jobs ?? [],
  };
}

export function plugin(project, name) {
  return project.plugins.find((p) => p.name === name) ?? null;
}

/** A plugin's config with inherit_from applied (enough for `mode` and `sleep_seconds`). */
export function pluginConfig(project, name) {
  const p = plugin(project, name);
  if (!p) return {};
  const parent = p.inherit_from ? pluginConfig(project, p.inherit_from) : {};
  return { ...parent, ...(p.config ?? {}) };
}

/** Where elt.log files go: v2/v3 under the project, v4 in the per-user state folder. */
export function logsRoot(project) {
  if (process.env.STANDIN_LOG_LAYOUT === 'v4') {
    const state = process.env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state');
    return path.join(state, 'meltano', 'log');
  }
  return path.join(project.sysDir, 'logs');
}
