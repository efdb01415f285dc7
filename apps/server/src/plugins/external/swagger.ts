import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { OLD_UI_TAG, OLD_UI_TAG_DESCRIPTION } from '../../routes/compat/tag.js';
import { UI_VERSION } from '../../version.js';

/**
 * OpenAPI document generated from the route schemas, plus a browsable docs page, for readers (the
 * access-control plugin gives the docs pages `read`); `ui.api_docs` false serves neither (404).
 */
export const openapi = fp(
  async (fastify: FastifyInstance, opts: { serveDocs: boolean }) => {
    await fastify.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Meltano UI API',
          version: UI_VERSION,
          description:
            'HTTP API of the self-hosted Meltano UI. JSON keys are snake_case; timestamps are ISO 8601 UTC ' +
            'with Z; a run is addressed by the system database runs.id. Errors are ' +
            '`{"error": true, "code", "message"}` with a stable code.',
        },
        tags: [
          { name: 'health', description: 'Liveness and readiness' },
          { name: 'operations', description: 'Prometheus metrics (ui.metrics_enabled)' },
          { name: 'project', description: 'The Meltano project' },
          { name: 'pipelines', description: 'Schedules and jobs' },
          { name: 'runs', description: 'Run history and logs' },
          { name: 'plugins', description: 'Catalog, adding, removing, installing and configuring plugins' },
          { name: 'auth', description: 'Sign-in, identity, your password and API tokens' },
          { name: 'users', description: 'Users, roles and their tokens (admins)' },
          {
            name: 'notifications',
            description: 'Notification channels, rules and the delivery log (admins)',
          },
          {
            name: 'meltano',
            description: "The Meltano CLI's version, the newest release, `meltano upgrade`",
          },
          { name: OLD_UI_TAG, description: OLD_UI_TAG_DESCRIPTION },
        ],
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'meltano_ui_session' },
            token: {
              type: 'http',
              scheme: 'bearer',
              description: 'An API token (mui_…) from Account → API tokens',
            },
          },
        },
      },
      refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    });
    if (!opts.serveDocs) return;
    // staticCSP: the docs page gets its own CSP with hashes of its inline parts.
    await fastify.register(swaggerUi, { routePrefix: '/api/v1/docs', staticCSP: true });
    fastify.get('/api/v1/openapi.json', { schema: { hide: true }, config: { access: 'read' } }, async () =>
      fastify.swagger(),
    );
  },
  { name: 'openapi' },
);
