#!/usr/bin/env node
// A stand-in for the Python Meltano CLI (see ../README.md). NOT the real Meltano.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { uuid7Hex } from '../src/encoding.mjs';
import { install, UsageError } from '../src/install.mjs';
import { findProjectRoot, loadProject, logsRoot, plugin, pluginConfig } from '../src/project.mjs';
import { checkRunning, RefusedError, runPair } from '../src/run-pipeline.mjs';
import { StateError, stateCommand } from '../src/state.mjs';
import { openSystemDb } from '../src/system-db.mjs';
import { currentVersion, upgrade } from '../src/upgrade.mjs';

const version = () => `meltano, version ${currentVersion()} (Meltano UI test stand-in, not the real Meltano)`;

/** Options that take no value (click flags). */
const FLAGS = new Set(['force', 'full-refresh', 'dry-run', 'skip-package']);

function options(args) {
  const opts = {};
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    // As click: `--` ends the options; an unknown dash word before it is an error, not a name.
    if (a === '--') {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (/^-[^-]/.test(a)) fail(`Error: No such option: ${a}`, 2);
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(a);
    if (!m) rest.push(a);
    else if (m[2] !== undefined) opts[m[1]] = m[2];
    else if (FLAGS.has(m[1])) opts[m[1]] = true;
    else if (args[i + 1] !== undefined && !args[i + 1].startsWith('--')) opts[m[1]] = args[++i];
    else opts[m[1]] = true;
  }
  return { opts, rest };
}

function fail(message, code = 1) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Extractor→loader pairs in a list of blocks (mappers and commands between them are skipped). */
function pairs(project, blocks) {
  const found = [];
  let extractor = null;
  for (const block of blocks) {
    const p = plugin(project, block.split(':')[0]);
    if (p?.type === 'extractors') extractor = block;
    else if (p?.type === 'loaders' && extractor) {
      found.push([extractor, block]);
      extractor = null;
    }
  }
  return found;
}

function expandJobs(project, names) {
  return names.flatMap((name) => {
    const job = project.jobs.find((j) => j.name === name);
    if (!job) return [name];
    const tasks = typeof job.tasks === 'string' ? [job.tasks] : job.tasks;
    return tasks.flatMap((t) => (Array.isArray(t) ? t.join(' ') : t).split(/\s+/));
  });
}

async function runPairs(project, list, stateIdFor) {
  const mode0 = process.env.STANDIN_MODE ?? 'ok';
  if (mode0 === 'refuse') fail('Meltano stand-in told to refuse (STANDIN_MODE=refuse)');
  const db = openSystemDb(project.databaseUri, process.cwd());
  const controller = new AbortController();
  // `stubborn`: a run that ignores SIGTERM (keeps going like `hang`), for the UI's SIGKILL escalation.
  process.on('SIGTERM', () => {
    if (mode0 !== 'stubborn') controller.abort();
  });
  process.on('SIGINT', () => controller.abort());
  // Meltano >= 3.4 takes the run ID from MELTANO_RUN_ID (--run-id); >= 3.8 gives it to every pair.
  const runIdHex = process.env.MELTANO_RUN_ID
    ? process.env.MELTANO_RUN_ID.replace(/-/g, '').toLowerCase()
    : uuid7Hex();
  let failed = false;
  for (const [extractor, loader] of list) {
    const stateId = stateIdFor(extractor, loader);
    const config = pluginConfig(project, extractor);
    const mode = config.mode === 'fail' ? 'fail' : mode0 === 'stubborn' ? 'hang' : mode0;
    try {
      await checkRunning(db, stateId);
    } catch (err) {
      if (err instanceof RefusedError) fail(err.message);
      throw err;
    }
    const state = await runPair(db, {
      stateId,
      runIdHex,
      trigger: process.env.MELTANO_JOB_TRIGGER || 'cli',
      extractor,
      loader,
      logsRoot: logsRoot(project),
      mode,
      records: Number(process.env.STANDIN_RECORDS ?? 3),
      delayMs: Number(
        process.env.STANDIN_DELAY_MS ?? (config.sleep_seconds ? config.sleep_seconds * 1000 : 20),
      ),
      signal: controller.signal,
    });
    if (state !== 'SUCCESS') {
      failed = true;
      break;
    }
  }
  await db.close();
  if (controller.signal.aborted) process.exit(143);
  if (failed) fail('Run failed: Extractor failed');
}

async function main(argv) {
  const [command, ...args] = argv;
  if (command === '--version' || command === 'version') return void process.stdout.write(`${version()}\n`);
  const root = findProjectRoot();
  const project = loadProject(root);
  const { opts, rest } = options(args);
  if (command === 'elt' || command === 'el') {
    const [extractor, loader] = rest;
    if (!extractor || !loader) fail(`Usage: meltano ${command} EXTRACTOR LOADER [--state-id=ID]`, 2);
    // `meltano elt --dry`: nothing is run or written.
    if (opts.dry) return void process.stdout.write(`Dry run: would have run ${extractor} → ${loader}\n`);
    const stateId =
      opts['state-id'] ??
      process.env.MELTANO_STATE_ID ??
      `${new Date().toISOString().slice(0, 19).replace(/:/g, '')}--${extractor}--${loader}`;
    return runPairs(project, [[extractor, loader]], () => stateId);
  }
  if (command === 'run') {
    const env = opts.environment ?? project.environment;
    if (!env)
      fail('No environment: `meltano run` requires one (set default_environment or MELTANO_ENVIRONMENT)');
    const suffix = opts['state-id-suffix'] ?? process.env.MELTANO_RUN_STATE_ID_SUFFIX;
    const list = pairs(project, expandJobs(project, rest));
    if (list.length === 0) fail(`Nothing to run in: ${rest.join(' ')}`, 2);
    // As `meltano run --dry-run`: one line per block set, nothing run or written.
    if (opts['dry-run']) {
      for (let i = 0; i < list.length; i++) {
        process.stdout.write(`Dry run, but would have run block ${i + 1}/${list.length}.\n`);
      }
      return;
    }
    return runPairs(project, list, (t, l) => [env, `${t}-to-${l}`, suffix].filter(Boolean).join(':'));
  }
  if (command === 'schedule' && rest[0] === 'run') {
    const schedule = project.schedules.find((s) => s.name === rest[1]);
    if (!schedule) fail(`Schedule '${rest[1]}' does not exist`);
    // What follows the name goes to `meltano run` (before the job) or `meltano elt` (after its args).
    const extra = args.slice(args.indexOf(rest[1]) + 1);
    const childArgs = schedule.job
      ? ['run', ...extra, schedule.job]
      : [
          'elt',
          schedule.extractor,
          schedule.loader,
          `--transform=${schedule.transform ?? 'skip'}`,
          `--state-id=${schedule.name}`,
          ...extra,
        ];
    const env = {
      ...process.env,
      ...Object.fromEntries(Object.entries(schedule.env ?? {}).map(([k, v]) => [k, String(v)])),
    };
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...childArgs], {
      stdio: 'inherit',
      env,
    });
    const forward = (sig) => child.kill(sig);
    process.on('SIGTERM', forward);
    process.on('SIGINT', forward);
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 143 : 1)));
    return;
  }
  if (command === 'state') {
    const [sub, ...positional] = rest;
    const db = openSystemDb(project.databaseUri, process.cwd());
    try {
      process.stdout.write(await stateCommand(project, db, sub, positional, opts));
    } catch (err) {
      if (err instanceof StateError || err instanceof SyntaxError) fail(`Error: ${err.message}`);
      throw err;
    } finally {
      await db.close();
    }
    return;
  }
  if (command === 'install') {
    try {
      process.exitCode = await install(project, rest, opts);
    } catch (err) {
      if (err instanceof UsageError) fail(`Error: ${err.message}`, 2);
      throw err;
    }
    return;
  }
  if (command === 'upgrade') {
    process.exitCode = await upgrade({ ...project, root }, rest, opts);
    return;
  }
  if (command === 'invoke') {
    return invokeExtractor(project, rest[0]);
  }
  fail(`The Meltano stand-in does not implement '${argv.join(' ')}'`, 2);
}

/**
 * `meltano invoke EXTRACTOR`: the fake tap's Singer messages on stdout (a SCHEMA, then RECORDs), as a
 * connection test reads them. Its `mode` setting comes from `<PLUGIN>_MODE` in the environment (how
 * Meltano passes a setting's override to a plugin), else meltano.yml; `fail` prints an error and no
 * record, `hang` never prints a record (and never ends).
 */
async function invokeExtractor(project, name) {
  const p = name ? plugin(project, name) : null;
  if (p?.type !== 'extractors') fail(`Extractor '${name}' is not known to Meltano`);
  const envName = `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_MODE`;
  const mode = process.env[envName] ?? pluginConfig(project, name).mode ?? 'ok';
  if (mode === 'fail') fail('RuntimeError: HTTP 401 from upstream API: check the credentials');
  const out = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  out({
    type: 'SCHEMA',
    stream: 'users',
    schema: { properties: { id: { type: 'integer' } } },
    key_properties: ['id'],
  });
  if (mode === 'hang') return new Promise(() => {});
  for (let id = 1; id <= Number(process.env.STANDIN_RECORDS ?? 3); id++) {
    out({ type: 'RECORD', stream: 'users', record: { id } });
  }
  out({ type: 'STATE', value: { bookmarks: { users: { id: 3 } } } });
}

main(process.argv.slice(2)).catch((err) => fail(err.stack ?? String(err)));
