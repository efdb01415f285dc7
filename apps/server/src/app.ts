import type { AuthConfig, CoreContext, LoginThrottleRules } from '@meltano-ui/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HealthFastPath } from './health-fast-path.js';
import { accessControl, type RouteAccess } from './plugins/app/access-control.js';
import { audit } from './plugins/app/audit.js';
import { authentication } from './plugins/app/authentication.js';
import { type CoreServicesOptions, coreServices } from './plugins/app/core-services.js';
import { csrf } from './plugins/app/csrf.js';
import { errorHandler } from './plugins/app/error-handler.js';
import { type HeavyWork, type HeavyWorkOptions, heavyWork } from './plugins/app/heavy-work.js';
import { hostCheck } from './plugins/app/host-check.js';
import { inputText } from './plugins/app/input-text.js';
import { metrics } from './plugins/app/metrics.js';
import { type PipelineMetricsOptions, pipelineMetrics } from './plugins/app/pipeline-metrics.js';
import { requestLog } from './plugins/app/request-log.js';
import { securityHeaders } from './plugins/app/security-headers.js';
import { unknownFields } from './plugins/app/unknown-fields.js';
import { type RateLimits, rateLimit, rateLimitOf } from './plugins/external/rate-limit.js';
import { openapi } from './plugins/external/swagger.js';
import { webApp } from './plugins/external/web-app.js';
import { accountRoutes } from './routes/account.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { compatRoutes } from './routes/compat/index.js';
import { deploymentRoutes } from './routes/deployments.js';
import { environmentWriteRoutes } from './routes/environment-writes.js';
import { healthRoutes } from './routes/health.js';
import { intervalRoutes } from './routes/intervals.js';
import { logLineRoutes } from './routes/log-lines.js';
import { meltanoUpgradeRoutes } from './routes/meltano-upgrade.js';
import { metricsRoutes } from './routes/metrics.js';
import { notificationRoutes } from './routes/notifications.js';
import { oidcRoutes } from './routes/oidc.js';
import { pipelineEnvironmentRoutes } from './routes/pipeline-environment.js';
import { pipelineRunRoutes } from './routes/pipeline-runs.js';
import { pipelineWriteRoutes } from './routes/pipeline-writes.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { pluginInstallRoutes, pluginWriteRoutes } from './routes/plugin-writes.js';
import { projectRoutes } from './routes/project.js';
import { runLogRoutes } from './routes/run-logs.js';
import { runMetricsRoutes } from './routes/run-metrics.js';
import { runRoutes } from './routes/runs.js';
import { settingWriteRoutes } from './routes/setting-writes.js';
import { stateWriteRoutes } from './routes/state-writes.js';
import { userRoutes } from './routes/users.js';
import { workspaceRoutes } from './routes/workspace.js';
import { AuditEntry } from './schemas/audit.js';
import { ApiToken, AuthMethods, Identity, User } from './schemas/auth.js';
import { EnvReference, ErrorBody } from './schemas/common.js';
import { Deployment, DeploymentDetail } from './schemas/deployment.js';
import { Launch } from './schemas/launch.js';
import { Upgrade } from './schemas/meltano-upgrade.js';
import {
  Channel as NotificationChannel,
  Delivery as NotificationDelivery,
  Rule as NotificationRule,
} from './schemas/notifications.js';
import { Job, Schedule } from './schemas/pipeline.js';
import { Install } from './schemas/plugin-writes.js';
import { LoadError, Plugin } from './schemas/project.js';
import { FailureCause, Run, RunDetail, RunOutcome, RunTotals } from './schemas/run.js';
import { RunMetrics, StreamRecords } from './schemas/run-metrics.js';

export interface AppOptions {
  core: CoreContext;
  /** Sign-in, cookies, proxy and host settings (loadAuthConfig). */
  auth: AuthConfig;
  /** Filled with every API route and its declared access. */
  routeAccess?: RouteAccess[];
  /** Sign-in attempts allowed per user name and per IP (tests pass their own). */
  loginThrottle?: LoginThrottleRules;
  /** Timings of the run launcher (tests shorten them). */
  launcher?: CoreServicesOptions['launcher'];
  /** Folder holding the built web app (index.html); null serves the API only. */
  webRoot: string | null;
  /** Bounds on log work and clients (tests tighten or loosen them; the defaults suit a server). */
  limits?: ServerLimits;
  /** The server's probe fast path, given the health route's answer once ready. */
  healthFastPath?: HealthFastPath;
}

export interface ServerLimits {
  /** The heavy-work gate's bounds, or a gate of the caller's (tests hold its slots). */
  heavyWork?: HeavyWorkOptions | HeavyWork;
  rateLimits?: Partial<RateLimits>;
  /** A live-log client that takes nothing for this long while bytes wait is disconnected. */
  streamStallTimeoutMs?: number;
  /** Label caps and the system DB's time budget of the pipeline series on /metrics. */
  pipelineMetrics?: PipelineMetricsOptions;
}

export const API_PREFIX = '/api/v1';

/**
 * The whole server as one Fastify plugin (registered under `ui.base_path`). Request hooks run in this
 * order: host check, who is asking, CSRF, then each route's declared access (401, 403, 499).
 */
export async function app(fastify: FastifyInstance, opts: AppOptions) {
  const schemas = [
    ErrorBody,
    EnvReference,
    FailureCause,
    Run,
    RunDetail,
    RunOutcome,
    RunTotals,
    Schedule,
    Job,
    Plugin,
    LoadError,
    Launch,
    RunMetrics,
    StreamRecords,
    NotificationChannel,
    NotificationRule,
    NotificationDelivery,
    AuditEntry,
  ];
  for (const schema of [
    ...schemas,
    User,
    Identity,
    AuthMethods,
    ApiToken,
    Install,
    Upgrade,
    Deployment,
    DeploymentDetail,
  ]) {
    fastify.addSchema(schema);
  }
  const apiPrefix = `${fastify.prefix}${API_PREFIX}`;
  await fastify.register(errorHandler);
  await fastify.register(requestLog, { apiPrefix });
  await fastify.register(unknownFields);
  await fastify.register(securityHeaders, { apiPrefix });
  await fastify.register(hostCheck, {
    serverName: opts.auth.serverName,
    allowedHosts: opts.auth.allowedHosts,
    trustForwardedHost: opts.auth.trustForwardedHost,
    healthPath: `${apiPrefix}/health`,
    metricsPath: `${apiPrefix}/metrics`,
  });
  await fastify.register(coreServices, {
    core: opts.core,
    ...(opts.launcher ? { launcher: opts.launcher } : {}),
  });
  await fastify.register(metrics, {
    enabled: opts.core.settings['ui.metrics_enabled'].value === true,
    apiPrefix,
  });
  await fastify.register(pipelineMetrics, opts.limits?.pipelineMetrics ?? {});
  await fastify.register(authentication, {
    config: opts.auth,
    ...(opts.loginThrottle ? { loginThrottle: opts.loginThrottle } : {}),
  });
  await fastify.register(audit, { apiPrefix, basePath: fastify.prefix });
  await fastify.register(csrf, { trustForwardedHost: opts.auth.trustForwardedHost });
  await fastify.register(inputText);
  await fastify.register(accessControl, {
    apiPrefix,
    docsPrefix: `${apiPrefix}/docs`,
    routeAccess: opts.routeAccess ?? [],
  });
  await fastify.register(heavyWork, opts.limits?.heavyWork ? { gate: opts.limits.heavyWork } : {});
  await fastify.register(rateLimit, { limits: opts.limits?.rateLimits ?? {} });
  await fastify.register(openapi, { serveDocs: opts.auth.apiDocs });
  await fastify.register(webApp, { webRoot: opts.webRoot });
  const { healthFastPath } = opts;
  if (healthFastPath) {
    // Once listening (inject() waits for ready, so not in onReady); until then probes go through Fastify.
    fastify.addHook('onListen', async () => {
      const { metrics } = fastify;
      await healthFastPath.capture(fastify, metrics.enabled ? metrics.observeHealth : null);
    });
  }

  await fastify.register(
    async (api) => {
      await api.register(healthRoutes);
      await api.register(metricsRoutes);
      await api.register(authRoutes);
      await api.register(oidcRoutes);
      await api.register(accountRoutes);
      await api.register(userRoutes);
      await api.register(projectRoutes);
      await api.register(workspaceRoutes);
      await api.register(pipelineRoutes);
      await api.register(stateWriteRoutes);
      await api.register(pipelineEnvironmentRoutes);
      await api.register(runRoutes);
      await api.register(runMetricsRoutes);
      await api.register(notificationRoutes);
      await api.register(auditRoutes);
      await api.register(runLogRoutes, {
        ...(opts.limits?.streamStallTimeoutMs === undefined
          ? {}
          : { streamStallTimeoutMs: opts.limits.streamStallTimeoutMs }),
      });
      await api.register(logLineRoutes);
      await api.register(pipelineRunRoutes);
      await api.register(pipelineWriteRoutes);
      await api.register(environmentWriteRoutes);
      await api.register(intervalRoutes);
      await api.register(pluginWriteRoutes);
      await api.register(pluginInstallRoutes);
      await api.register(settingWriteRoutes);
      await api.register(deploymentRoutes);
      await api.register(meltanoUpgradeRoutes);
      // The old Meltano UI's API (meltano ui, v2.20), in its own context: see routes/compat/index.ts.
      await api.register(compatRoutes);
    },
    { prefix: API_PREFIX },
  );

  // Deep links into the SPA (/pipelines/x, /runs/12) get index.html; unknown API paths get JSON.
  const isPageRequest = (request: FastifyRequest) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const wantsPage = request.method === 'GET' || request.method === 'HEAD';
    // A missing asset (an old hashed bundle after an upgrade) must be a 404, never index.html as JS.
    const looksLikeFile = /\.[A-Za-z0-9]{1,8}$/.test(pathname) || pathname.startsWith('/assets/');
    const isApi = pathname.startsWith(`${apiPrefix}/`) || pathname === apiPrefix;
    return fastify.servesWebApp && wantsPage && !isApi && !looksLikeFile;
  };
  // 404s are rate limited (probing for URLs); the web app's own pages are not 404s and are not counted.
  const notFoundLimit = fastify.rateLimit({
    ...rateLimitOf(fastify.rateLimits.notFound),
    allowList: (request) => isPageRequest(request),
  });
  fastify.setNotFoundHandler({ preHandler: notFoundLimit }, (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (isPageRequest(request)) {
      return reply
        .header('Cache-Control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(fastify.indexHtml);
    }
    return reply.status(404).send({
      error: true,
      code: 'route_not_found',
      message: `No route for ${request.method} ${pathname}`,
    });
  });
}
