import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { configuredPypiReleases } from '@meltano-ui/core';
import { Type } from 'typebox';
import { Nullable } from '../../schemas/common.js';
import { currentMeltanoVersion, upgraderOf } from '../meltano-status.js';
import { oldErrors } from './old-errors.js';
import { OLD_UI_TAG } from './tag.js';

/** The old UI's truthy query words (`include_latest`), in any case. */
const TRUTHY = new Set(['true', '1', 'yes', 'on']);

/**
 * The old UI's `GET /api/v1/version` and `POST /api/v1/upgrade` (reference §1.3, §6.5). Fixed: PyPI
 * failing in any way (timeout, bad JSON) gives `latest_version: null` within a few seconds, never a 500.
 */
export const compatVersionRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/version',
    {
      config: { access: 'read' },
      schema: {
        tags: [OLD_UI_TAG],
        summary:
          "The Meltano CLI's version; with `include_latest` also the newest on PyPI (null when it cannot be read)",
        querystring: Type.Object({
          include_latest: Type.Optional(
            Type.String({
              maxLength: 100,
              description: 'true, 1, yes or on (any case) to include latest_version',
            }),
          ),
        }),
        response: {
          200: Type.Object({
            version: Nullable(
              Type.String({ description: '`meltano --version`; null when the CLI is not found' }),
            ),
            latest_version: Type.Optional(Nullable(Type.String())),
          }),
          ...oldErrors(401, 503),
        },
      },
    },
    async (request) => {
      const include = TRUTHY.has((request.query.include_latest ?? '').trim().toLowerCase());
      const [runtime, release] = await Promise.all([
        currentMeltanoVersion(fastify),
        include ? configuredPypiReleases(fastify.core.settings).latest() : null,
      ]);
      return release === null
        ? { version: runtime.version }
        : { version: runtime.version, latest_version: release.version };
    },
  );

  fastify.post(
    '/upgrade',
    {
      config: { access: 'admin-change' },
      schema: {
        tags: [OLD_UI_TAG],
        summary:
          'Start `meltano upgrade` in the background (201 text `Meltano update in progress.`); follow it at /meltano',
        response: {
          201: Type.String({ description: '`Meltano update in progress.` (text/html)' }),
          ...oldErrors(401, 403, 409, 499, 503),
        },
      },
    },
    async (_request, reply) => {
      await upgraderOf(fastify).start();
      return reply.status(201).type('text/html; charset=utf-8').send('Meltano update in progress.');
    },
  );
};
