import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  type AuthConfig,
  type CoreContext,
  createMeltanoRuntime,
  type LoginThrottleRules,
  loadAuthConfig,
  warmRunLogReads,
} from '@meltano-ui/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Fastify, { LogController } from 'fastify';
import { API_PREFIX, type AppOptions, app } from './app.js';
import { HealthFastPath } from './health-fast-path.js';
import { createLazySchemaCompilers } from './lazy-schema-compilers.js';
import { loggerOptions, type ServerLogOptions } from './log-options.js';
import type { RouteAccess } from './plugins/app/access-control.js';
import { sessionCookieHeader } from './plugins/app/session-cookie.js';
import { warmRequestPath } from './warm-request-path.js';

export interface BuildServerOptions {
  core: CoreContext;
  /** Built SPA folder; defaults to apps/web/dist of this workspace; null for API only. */
  webRoot?: string | null;
  /** Level, pretty or JSON, and where to (tests); no logging when left out. */
  logger?: ServerLogOptions | false;
  launcher?: AppOptions['launcher'];
  loginThrottle?: LoginThrottleRules;
  limits?: AppOptions['limits'];
  /** Called once start-up's background work after listening (schema warm-up, first reads) is done. */
  onStartupWorkDone?: () => void;
}

/**
 * `ui.forwarded_allow_ips` as Fastify's trustProxy: `*` trusts every peer, otherwise the listed IPs
 * and CIDR ranges (X-Forwarded-For is walked back to the first untrusted hop).
 */
export function trustProxyOption(allowIps: string[]): boolean | string[] {
  if (allowIps.includes('*')) return true;
  return allowIps.length === 0 ? false : allowIps;
}

/**
 * apps/web/dist, found from this file whether it runs from src/ or dist/; MELTANO_UI_WEB_ROOT overrides it
 * for a `pnpm deploy` folder (the container image), where the SPA is not next to the server package.
 */
export function defaultWebRoot(): string {
  if (process.env.MELTANO_UI_WEB_ROOT) return path.resolve(process.env.MELTANO_UI_WEB_ROOT);
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
}

/**
 * What the web app asks for first (every page, the pipelines list, a run and its log): their
 * schemas are compiled right after boot so a first look does not wait for them. Compiling every
 * route's was ~45 MiB of memory for routes a process may never answer.
 */
/** How long after listening the Singer metrics of old runs start to be read (core RunMetricsService). */
const BACKFILL_DELAY_MS = 30_000;

const WARM_ROUTES = (basePath: string) =>
  new Set(
    [
      '/identity',
      '/workspaces',
      '/project',
      '/schedules',
      '/jobs',
      '/state',
      '/runs',
      '/runs/:id',
      '/runs/:id/log',
      '/runs/:id/log/stream',
    ].map((route) => `GET ${basePath}${API_PREFIX}${route}`),
  );

/**
 * The server for a project: reads the auth settings (throws AuthSecretsError when authentication is on
 * with unfit secrets) and serves everything under `ui.base_path`.
 */
export async function buildServer(opts: BuildServerOptions) {
  const auth: AuthConfig = await loadAuthConfig({ root: opts.core.root, settings: opts.core.settings });
  const healthFastPath = new HealthFastPath(`${auth.basePath}${API_PREFIX}/health`);
  const schemaCompilers = createLazySchemaCompilers();
  const fastify = Fastify({
    serverFactory: healthFastPath.serverFactory,
    logger: loggerOptions(opts.logger),
    // One line per request, written by the request-log plugin (route, user, redacted URL).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    trustProxy: trustProxyOption(auth.forwardedAllowIps),
    genReqId: () => crypto.randomUUID(),
    // Unknown body keys are a 400 (unknown-fields plugin), never silently dropped; query strings stay
    // open (their schemas do not close them): links and caches add parameters of their own.
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
    schemaController: { compilersFactory: schemaCompilers.compilersFactory },
    routerOptions: { maxParamLength: 1000 },
    // Errors raised before routing (bad URL encoding, over-long parameters) get our JSON shape too.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      reply.status(400).send({ error: true, code: 'invalid_request', message: error.message });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const routeAccess: RouteAccess[] = [];
  fastify.decorate('routeAccess', routeAccess);
  fastify.decorate('healthFastPath', healthFastPath);
  // Once listening, the read routes' schemas are compiled in the background (see lazy-schema-compilers).
  fastify.addHook('onListen', async () => {
    schemaCompilers
      .warmUp(WARM_ROUTES(auth.basePath))
      .catch((err: unknown) => fastify.log.error({ err }, 'compiling a route schema failed'))
      // Then the reads of the first pages (the project's entity versions, the UI's tables), and the
      // log-reading path once, on a file of its own (warmRunLogReads): a run's log is what a user opens
      // first after a restart.
      .then(() => opts.core.warmReads())
      .then(() => warmRunLogReads(opts.core.db, opts.core.logRoots))
      // And one request to its own readiness route over a real connection (warmRequestPath).
      .then(async () => {
        const databaseUp = await opts.core.db.ping().then(
          () => true,
          () => false,
        );
        const unknownSession = randomBytes(32).toString('base64url');
        await warmRequestPath(fastify.server, {
          path: `${auth.basePath}${API_PREFIX}/ready`,
          serverName: auth.serverName,
          cookie: databaseUp ? sessionCookieHeader(unknownSession, auth.secrets.secretKey) : null,
        });
      })
      .finally(() => opts.onStartupWorkDone?.())
      // Singer metrics of the runs nobody has opened yet, read in the background at a bounded pace,
      // starting once the run summary's first pass is long done.
      .then(() => opts.core.runMetrics.startBackfill(BACKFILL_DELAY_MS))
      // Notifications for every run, whoever started it (core.close() stops the notifier).
      .then(() => opts.core.notifier.start())
      // Entries older than ui.audit_retention_days, now and hourly (core.close() stops it).
      .then(() => opts.core.audit.startPurge());
  });
  // On the root too, so the launcher can print what it found once the server answers.
  const meltanoRuntime = createMeltanoRuntime(opts.core);
  fastify.decorate('meltanoRuntime', meltanoRuntime);
  fastify.addHook('onClose', async () => meltanoRuntime.close());
  await fastify.register(app, {
    routeAccess,
    prefix: auth.basePath,
    core: opts.core,
    auth,
    healthFastPath,
    ...(opts.loginThrottle ? { loginThrottle: opts.loginThrottle } : {}),
    webRoot: opts.webRoot === undefined ? defaultWebRoot() : opts.webRoot,
    ...(opts.launcher ? { launcher: opts.launcher } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  return fastify;
}

/**
 * Closes the server for a launcher's signal handler: live-log streams are ended first (the route's
 * preClose), then Fastify stops listening and waits for the requests in flight. A response a client
 * never reads (a download to a stalled socket) would hold that wait for ever, so after `forceAfterMs`
 * every connection left is dropped.
 */
export async function closeServer(fastify: FastifyInstance, opts: { forceAfterMs?: number } = {}) {
  const force = setTimeout(() => fastify.server.closeAllConnections(), opts.forceAfterMs ?? 5000);
  try {
    await fastify.close();
  } finally {
    clearTimeout(force);
  }
}
