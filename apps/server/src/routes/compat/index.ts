import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { compatAclRoutes } from './acl.js';
import { compatConfigurationRoutes } from './configuration.js';
import { keyCaseOnSend, snakeBodyPreValidation } from './key-case.js';
import { oldErrorHandler } from './old-errors.js';
import { compatOrchestrationRoutes } from './orchestrations.js';
import { compatPluginRoutes } from './plugins.js';
import { compatScheduleRoutes } from './schedules.js';
import { compatSubscriptionRoutes } from './subscriptions.js';
import { compatVersionRoutes } from './version.js';

/**
 * The old Meltano UI's route files (one per blueprint area), registered under /api/v1 beside ours.
 * Adding one is one line here. (GET /identity and GET /health are our own routes, which answer the
 * old shapes already; see the README section "Old Meltano UI API".)
 */
const ROUTE_FILES: (FastifyPluginAsyncTypebox | FastifyPluginAsync)[] = [
  compatPluginRoutes,
  compatOrchestrationRoutes,
  compatScheduleRoutes,
  compatConfigurationRoutes,
  compatSubscriptionRoutes,
  compatAclRoutes,
  compatVersionRoutes,
];

/**
 * The old Meltano UI's HTTP API, in its own encapsulated context: `X-JSON-SCHEME` key-case negotiation
 * of the answers, snake_case decoding of request bodies, and the old error bodies (401/403 text, 499
 * `{error, code}`) apply to these routes only. Authentication, roles, read-only modes and CSRF are the
 * app's, as for every route.
 */
export const compatRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.setErrorHandler(oldErrorHandler());
  fastify.addHook('preValidation', snakeBodyPreValidation);
  fastify.addHook('onSend', keyCaseOnSend);
  for (const routes of ROUTE_FILES) await fastify.register(routes);
};
