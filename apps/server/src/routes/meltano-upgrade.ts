import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../schemas/common.js';
import { MeltanoStatus, UpgradeOutput } from '../schemas/meltano-upgrade.js';
import { currentMeltanoVersion, meltanoStatus, shownUpgrade, upgraderOf } from './meltano-status.js';

/** The Meltano CLI's version, the newest on PyPI, and `meltano upgrade` with its output live. */
export const meltanoUpgradeRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const upgrader = upgraderOf(fastify);
  const UpgradeParams = Type.Object({ upgrade: Type.String({ format: 'uuid' }) });

  fastify.get(
    '/meltano',
    {
      config: { access: 'read' },
      schema: {
        tags: ['meltano'],
        summary:
          'The Meltano CLI: its version, the newest on PyPI (null when offline or off), whether you may upgrade it',
        response: { 200: MeltanoStatus, ...errorResponses(503) },
      },
    },
    async (request) => meltanoStatus(request),
  );

  fastify.post(
    '/meltano/upgrade',
    {
      config: { access: 'admin-change' },
      schema: {
        tags: ['meltano'],
        summary:
          'Run `meltano upgrade` (pip upgrade of the meltano package, then file bundles and migrations); 202, follow its output',
        response: { 202: Type.Ref('Upgrade'), ...errorResponses(401, 403, 409, 499, 503) },
      },
    },
    async (request, reply) => reply.status(202).send(shownUpgrade(request, await upgrader.start())),
  );

  fastify.get(
    '/meltano/upgrades/:upgrade',
    {
      config: { access: 'admin-read' },
      schema: {
        tags: ['meltano'],
        summary: 'An upgrade: command, status, exit code, and Meltano’s refusal if it refused',
        params: UpgradeParams,
        response: { 200: Type.Ref('Upgrade'), ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const upgrade = await upgrader.get(request.params.upgrade);
      // The page asks for the version next: it is the new one.
      if (upgrade.ended_at !== null) await currentMeltanoVersion(fastify, upgrade);
      return shownUpgrade(request, upgrade);
    },
  );

  fastify.get(
    '/meltano/upgrades/:upgrade/output',
    {
      config: { access: 'admin-read' },
      schema: {
        tags: ['meltano'],
        summary: 'What the upgrade printed from a byte offset on (poll with the returned offset + length)',
        params: UpgradeParams,
        querystring: Type.Object({ offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })) }),
        response: { 200: UpgradeOutput, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => upgrader.output(request.params.upgrade, request.query.offset ?? 0),
  );
};
