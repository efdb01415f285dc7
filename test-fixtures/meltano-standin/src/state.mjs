// `meltano state get|list|set|merge|clear|copy`, as Meltano 3.x's StateService does them, for the
// system DB and the local-folder backend (`state_backend.uri: file:///path`). NOT the real Meltano.
import fs from 'node:fs';
import path from 'node:path';
import { meltanoMerge, meltanoTimestamp, preciseNow, pythonJson, uuid7Hex } from './encoding.mjs';

export class StateError extends Error {}

const parse = (text) => (text === null || text === undefined ? {} : JSON.parse(text));

/** Where one backend keeps `{completed, partial}` per state ID. */
function backendFor(project, db) {
  const uri = project.stateBackendUri;
  if (uri === 'systemdb') {
    return {
      label: 'systemdb',
      async read(stateId) {
        const row = await db.stateRow(stateId);
        return row ? { completed: parse(row.completed_state), partial: parse(row.partial_state) } : null;
      },
      async write(stateId, state) {
        await db.replaceState(stateId, pythonJson(state.partial), pythonJson(state.completed));
      },
      async clear(stateId) {
        await db.deleteState(stateId);
      },
      ids: () => db.stateIds(),
    };
  }
  const m = /^file:\/\/(.*)$/.exec(uri);
  if (!m) throw new StateError(`The Meltano stand-in has no state backend for ${uri}`);
  const dir = m[1];
  const file = (stateId) => path.join(dir, stateId, 'state.json');
  return {
    label: 'Local Filesystem',
    async read(stateId) {
      return fs.existsSync(file(stateId)) ? JSON.parse(fs.readFileSync(file(stateId), 'utf8')) : null;
    },
    async write(stateId, state) {
      fs.mkdirSync(path.dirname(file(stateId)), { recursive: true });
      fs.writeFileSync(file(stateId), pythonJson({ completed: state.completed, partial: state.partial }));
    },
    async clear(stateId) {
      fs.rmSync(path.dirname(file(stateId)), { recursive: true, force: true });
    },
    async ids() {
      return fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.existsSync(file(d))) : [];
    },
  };
}

function validate(state) {
  if (state === null || typeof state !== 'object' || !('singer_state' in state)) {
    throw new StateError('singer_state not found in top level of provided state');
  }
}

/** `json_merged()`: partial merged onto completed; `{}` without state. */
async function get(backend, stateId) {
  const found = await backend.read(stateId);
  return found ? meltanoMerge(found.partial ?? {}, structuredClone(found.completed ?? {})) : {};
}

/** `StateService.add_state` then `StateStoreManager.set`. */
async function add(db, backend, stateId, state, flags) {
  validate(state);
  const now = meltanoTimestamp(preciseNow());
  await db.insertRun({
    job_name: stateId,
    state: 'STATE_EDIT',
    started_at: now,
    ended_at: now,
    payload: state,
    payload_flags: flags,
    run_id: uuid7Hex(),
    trigger: process.env.MELTANO_JOB_TRIGGER || 'cli',
  });
  const existing = await backend.read(stateId);
  const complete = flags === 1;
  let partial = complete ? {} : state;
  let completed = complete ? state : {};
  if (existing && !complete) {
    if (existing.partial && Object.keys(existing.partial).length > 0)
      partial = meltanoMerge(state, existing.partial);
    completed = existing.completed;
  }
  await backend.write(stateId, { partial, completed });
}

const stamp = () => `${new Date().toISOString().slice(0, 19).replace('T', ' ')}+0000`;

/** Runs one `meltano state` subcommand; returns what goes to stdout. */
export async function stateCommand(project, db, sub, rest, opts) {
  const backend = backendFor(project, db);
  const log = (message) => process.stderr.write(`${new Date().toISOString()} [info     ] ${message}\n`);
  log(`Using ${backend.label} state backend`);
  const needsForce = sub === 'set' || sub === 'clear' || sub === 'copy';
  if (needsForce && !opts.force)
    throw new StateError('Aborted! (the stand-in does not prompt: pass --force)');
  switch (sub) {
    case 'get':
      return `${pythonJson(await get(backend, rest[0]))}\n`;
    case 'list':
      return (await backend.ids()).map((id) => `${id}\n`).join('');
    case 'set':
      await add(db, backend, rest[0], JSON.parse(rest[1]), 1);
      log(`State for ${rest[0]} was successfully set at ${stamp()}.`);
      return '';
    case 'merge':
      await add(db, backend, rest[0], JSON.parse(rest[1]), 2);
      log(`State for ${rest[0]} was successfully merged at ${stamp()}.`);
      return '';
    case 'clear':
      await backend.clear(rest[0]);
      return '';
    case 'copy':
      await add(db, backend, rest[1], await get(backend, rest[0]), 1);
      log(`State for ${rest[1]} was successfully copied from ${rest[0]} at ${stamp()}.`);
      return '';
    default:
      throw new StateError(`The Meltano stand-in does not implement 'state ${sub}'`);
  }
}
