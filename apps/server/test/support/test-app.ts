import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoreContext, LoginThrottleRules, PipelineLauncherOptions } from '@meltano-ui/core';
import { openCoreContext } from '@meltano-ui/core';
import { createTestPostgres } from '../../../../packages/core/test/support/postgres.js';
import { copyWritable as copyFixtureTree } from '../../../../test-fixtures/fixture-locations.mjs';
import type { ServerLimits } from '../../src/app.js';
import { buildServer } from '../../src/server.js';

/** Server tests run every assertion on both system databases. */
export const DIALECTS = ['sqlite', 'postgres'] as const;
export type Dialect = (typeof DIALECTS)[number];

export const REAL_MELTANO = fileURLToPath(
  new URL('../../../../test-fixtures/real-meltano/', import.meta.url),
);

/** Copies a read-only fixture tree somewhere writable. */
export function copyWritable(source: string): string {
  return copyFixtureTree(source, 'server-test-');
}

/** Secrets fit for ui.authentication (64 hex characters each, as `meltano ui setup` makes them). */
export const TEST_SECRETS = {
  MELTANO_UI_SECRET_KEY: 'a3f1c9e27b5d48f0a6c2e9b7d1f3a5c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0',
  MELTANO_UI_PASSWORD_SALT: '5e7c9a1b3d5f7e9c1a3b5d7f9e1c3a5b7d9f1e3c5a7b9d1f3e5c7a9b1d3f5e7c',
} as const;

/**
 * Tests speak as the SPA does: unsafe requests carry the X-Requested-With header the CSRF check wants
 * (unless a test sets it itself, or sets it to '' to leave it out).
 */
function injectAsSpa(server: Awaited<ReturnType<typeof buildServer>>): void {
  const inject = server.inject.bind(server);
  // biome-ignore lint/suspicious/noExplicitAny: forwards inject's overloads unchanged.
  (server as any).inject = (opts: any) => {
    if (typeof opts !== 'object' || opts === null) return inject(opts);
    const headers = { ...(opts.headers ?? {}) };
    if (!('x-requested-with' in headers)) headers['x-requested-with'] = 'meltano-ui-test';
    if (headers['x-requested-with'] === '') delete headers['x-requested-with'];
    return inject({ ...opts, headers });
  };
}

export interface TestApp {
  server: Awaited<ReturnType<typeof buildServer>>;
  core: CoreContext;
  root: string;
  /** The system database URI given to the app (PostgreSQL), or null for the project's SQLite file. */
  databaseUri: string | null;
  cleanup(): Promise<void>;
}

/**
 * The real Meltano project of `version` (a temp copy) served by the app, its system DB either the
 * project's SQLite file or a fresh PostgreSQL database holding the same rows.
 */
export async function startTestApp(
  dialect: Dialect,
  opts: {
    version?: string;
    /** A fixed clock (staleness, heartbeat ages); the real clock when left out. */
    now?: Date;
    env?: Record<string, string>;
    logsDir?: string;
    launcher?: PipelineLauncherOptions;
    loginThrottle?: LoginThrottleRules;
    /** Receives the server's JSON log lines (info and up, unless `logLevel` says otherwise). */
    logLines?: string[];
    /** The pino level of those lines. */
    logLevel?: string;
    /** How long a read of the project files is reused; 0 (look every time) unless a test needs the cache. */
    projectCheckIntervalMs?: number;
    /** Heavy-work queue, rate limits and stream stall timeout (defaults: the server's). */
    limits?: ServerLimits;
    /** A folder holding a built web app (index.html, assets/); none by default. */
    webRoot?: string;
    /** A second server on that app's project and system database, as another replica would be. */
    replicaOf?: TestApp;
    /** Runs on the core context before the server is built (e.g. to break the system database). */
    beforeServer?: (core: CoreContext) => Promise<void>;
  },
): Promise<TestApp> {
  const version = opts.version ?? 'v3.9.5';
  const root = opts.replicaOf?.root ?? copyWritable(path.join(REAL_MELTANO, version, 'project'));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'server-home-'));
  let databaseUri: string | null = opts.replicaOf?.databaseUri ?? null;
  let dropPostgres = async () => {};
  if (dialect === 'postgres' && opts.replicaOf === undefined) {
    const pg = await createTestPostgres();
    await pg.createMeltanoSchema();
    await pg.loadFromSqlite(path.join(root, '.meltano', 'meltano.db'), undefined);
    databaseUri = pg.uri();
    dropPostgres = () => pg.drop();
  }
  const env: Record<string, string> = {
    HOME: home,
    // Runs the app launches (the Meltano stand-in is a `#!/usr/bin/env node` script) need node on PATH.
    PATH: process.env.PATH ?? '',
    ...TEST_SECRETS,
    // No internet here: Meltano Hub is a closed local port, so the catalog is the bundled one at once.
    MELTANO_HUB_URL: 'http://127.0.0.1:9',
    // Nor PyPI: the newest Meltano is looked up on a closed local port too (null at once).
    MELTANO_UI_PYPI_URL: 'http://127.0.0.1:9/pypi/meltano/json',
    ...(opts.logsDir ? { MELTANO_UI_LOGS_DIR: opts.logsDir } : {}),
    ...opts.env,
  };
  const core = await openCoreContext({
    projectRoot: root,
    databaseUri,
    env,
    homeDir: home,
    ...(opts.now ? { now: () => opts.now as Date } : {}),
    projectCheckIntervalMs: opts.projectCheckIntervalMs ?? 0,
  });
  await opts.beforeServer?.(core);
  const server = await buildServer({
    core,
    webRoot: opts.webRoot ?? null,
    ...(opts.loginThrottle ? { loginThrottle: opts.loginThrottle } : {}),
    ...(opts.logLines
      ? {
          logger: {
            level: opts.logLevel ?? 'info',
            stream: { write: (l: string) => opts.logLines?.push(l) },
          },
        }
      : {}),
    ...(opts.launcher ? { launcher: opts.launcher } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  await server.ready();
  injectAsSpa(server);
  return {
    server,
    core,
    root,
    databaseUri,
    async cleanup() {
      await server.close();
      await core.close();
      await dropPostgres();
      // A replica leaves the project to the app it shares it with.
      if (opts.replicaOf === undefined) fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
