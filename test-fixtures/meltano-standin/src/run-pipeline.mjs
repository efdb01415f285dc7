// The lifecycle of one Meltano runs row and its elt.log, as `meltano el/elt/run` write them.
import fs from 'node:fs';
import path from 'node:path';
import { dashedUuid, logLine, meltanoTimestamp, preciseNow, sanitizeStateId } from './encoding.mjs';

const HEARTBEAT_MS = 1000;
const STALE_HEARTBEAT_MS = 5 * 60 * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class RefusedError extends Error {}

/** Fails stale RUNNING rows and refuses to start beside a fresh one, as Meltano does before a run. */
export async function checkRunning(db, stateId, now = new Date()) {
  for (const row of await db.runningRows(stateId)) {
    const beat = row.last_heartbeat_at ?? row.started_at;
    const age = now.getTime() - Date.parse(`${String(beat).replace(' ', 'T')}Z`);
    if (age > STALE_HEARTBEAT_MS) {
      await db.updateRun(row.id, {
        state: 'FAIL',
        ended_at: meltanoTimestamp(now),
        payload: {
          error: 'No heartbeat recorded for 5 minutes. The process was likely killed unceremoniously.',
        },
      });
    } else {
      throw new RefusedError(
        `Another '${stateId}' pipeline is already running which started at ${row.started_at}. ` +
          "To ignore this check use the '--force' option.",
      );
    }
  }
}

export function logFileFor(logsRoot, stateId, runIdHex) {
  return path.join(logsRoot, 'elt', sanitizeStateId(stateId), dashedUuid(runIdHex), 'elt.log');
}

/**
 * Runs one extractor→loader pair. `mode`: ok | fail | hang | crash. Resolves with 'SUCCESS' or 'FAIL';
 * `signal` aborting (SIGTERM) ends the row as FAIL "The process was terminated".
 */
export async function runPair(db, opts) {
  const {
    stateId,
    runIdHex,
    trigger,
    extractor,
    loader,
    logsRoot,
    mode,
    records,
    delayMs,
    signal,
    previousState,
  } = opts;
  const startedAt = preciseNow();
  const file = logFileFor(logsRoot, stateId, runIdHex);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const out = fs.openSync(file, 'a');
  const ctx = { run_id: dashedUuid(runIdHex), state_id: stateId };
  const write = (level, message, fields = {}) =>
    fs.writeSync(out, `${logLine(preciseNow(), level, message, fields)}\n`);
  const tap = (level, msg) =>
    write(level, msg, { cmd_type: 'extractor', name: extractor, ...ctx, stdio: 'stderr' });
  const target = (msg) => write('info', msg, { cmd_type: 'loader', name: loader, ...ctx, stdio: 'stderr' });

  const id = await db.insertRun({
    job_name: stateId,
    state: 'RUNNING',
    started_at: meltanoTimestamp(startedAt),
    last_heartbeat_at: meltanoTimestamp(startedAt),
    payload: {},
    payload_flags: 0,
    run_id: runIdHex,
    trigger,
  });
  const beat = setInterval(() => void db.heartbeat(id, preciseNow()).catch(() => {}), HEARTBEAT_MS);
  const finish = async (state, payload) => {
    clearInterval(beat);
    // payload_flags 1 (STATE) once a Singer state was recorded, as Meltano sets it.
    const flags = payload.singer_state ? 1 : 0;
    await db.updateRun(id, {
      state,
      ended_at: meltanoTimestamp(preciseNow()),
      payload,
      payload_flags: flags,
    });
    fs.closeSync(out);
    return state;
  };

  write('info', 'Running extract & load...', { name: 'meltano', ...ctx });
  write('info', 'Using systemdb state backend', ctx);
  const lastId = previousState?.bookmarks?.users?.last_id ?? 0;
  if (lastId === 0) write('warning', 'No state was found, complete import.', ctx);
  tap('info', `INFO Starting sync of stream 'users' (mode=${mode})`);
  target('INFO target-demo: reading Singer messages from stdin');
  let last = lastId;
  const total = mode === 'hang' ? Number.POSITIVE_INFINITY : records;
  for (let i = 1; i <= total; i++) {
    if (signal.aborted) {
      write('error', 'The process was terminated', ctx);
      return finish('FAIL', {
        singer_state: { bookmarks: { users: { last_id: last } } },
        error: 'The process was terminated',
      });
    }
    await sleep(delayMs);
    last = lastId + i;
    tap('info', `INFO Emitted record id=${last}`);
    if (mode === 'fail' && i === Math.min(2, records)) {
      tap('info', 'Traceback (most recent call last):');
      tap('info', "RuntimeError: HTTP 500 from upstream API while paginating 'users'");
      write('error', 'Extraction failed', {
        code: 1,
        message: "RuntimeError: HTTP 500 from upstream API while paginating 'users'",
        name: 'meltano',
        ...ctx,
      });
      write('error', 'ELT could not be completed: Extractor failed.', ctx);
      return finish('FAIL', {
        singer_state: { bookmarks: { users: { last_id: last } } },
        error: 'Extractor failed',
      });
    }
    if (mode === 'crash' && i === Math.min(2, records)) {
      clearInterval(beat);
      fs.closeSync(out);
      process.exit(137);
    }
  }
  target(`INFO target-demo: wrote ${records} records`);
  const singerState = { bookmarks: { users: { last_id: last } } };
  await db.saveState(stateId, { singer_state: singerState }, meltanoTimestamp(preciseNow()));
  write(
    'info',
    `Incremental state has been updated at ${preciseNow().toISOString().replace('T', ' ').replace('Z', '+00:00')}.`,
    ctx,
  );
  write('info', 'Extract & load complete!', { name: 'meltano', ...ctx });
  return finish('SUCCESS', { singer_state: singerState });
}
