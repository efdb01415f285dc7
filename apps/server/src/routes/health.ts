import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type CoreContext, maskSecretText, projectErrorView } from '@meltano-ui/core';
import { type Static, Type } from 'typebox';
import { holdsAccess } from '../plugins/app/access-control.js';
import { Nullable, StringEnum } from '../schemas/common.js';

const Check = Type.Object({
  name: StringEnum(['project', 'database', 'logs']),
  ok: Type.Boolean(),
  message: Type.String({ description: "'ok' or 'broken' for anonymous callers; what is wrong for readers" }),
  file: Type.Optional(Nullable(Type.String({ description: 'Readers only: relative to the project root' }))),
  line: Type.Optional(Nullable(Type.Integer())),
  column: Type.Optional(Nullable(Type.Integer())),
  excerpt: Type.Optional(
    Nullable(Type.String({ description: 'Readers only: the quoted lines, secret-looking values masked' })),
  ),
});
const Readiness = Type.Object({ ready: Type.Boolean(), checks: Type.Array(Check) });
type CheckBody = Static<typeof Check>;

/**
 * `/health` answers 200 whatever the state of the project or database: reverse proxies and
 * orchestrators use it for liveness. `/ready` names what is broken; only readers learn why, since the
 * reason can quote project files.
 */
export const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Liveness: always 200, no auth, no database',
        response: { 200: Type.Object({ healthy: Type.Literal(true) }) },
      },
    },
    async () => ({ healthy: true as const }),
  );

  fastify.get(
    '/ready',
    {
      config: { access: 'public', identifies: true },
      schema: {
        tags: ['health'],
        summary:
          'Readiness: 503 naming the broken part (project, database, logs); the details only for readers',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (request, reply) => {
      const { core } = fastify;
      const checks = [await projectCheck(core), await databaseCheck(core), await logsRootCheck(core)];
      const ready = checks.every((c) => c.ok);
      const detailed = holdsAccess(core, request.principal, 'read');
      const admin = holdsAccess(core, request.principal, 'admin-read');
      return reply.status(ready ? 200 : 503).send({
        ready,
        checks: checks.map(({ absolute, ...check }) =>
          detailed
            ? { ...check, ...(admin && absolute ? { message: absolute } : {}) }
            : { name: check.name, ok: check.ok, message: check.ok ? 'ok' : 'broken' },
        ),
      });
    },
  );
};

type Checked = CheckBody & { absolute?: string };

async function projectCheck(core: CoreContext): Promise<Checked> {
  const snapshot = await core.projectStore.get();
  if (snapshot.ok) return { name: 'project', ok: true, message: 'meltano.yml and included files parse' };
  const { summary, file, line, column, excerpt } = projectErrorView(core.root, snapshot.error);
  return { name: 'project', ok: false, message: summary, file, line, column, excerpt };
}

async function databaseCheck(core: CoreContext): Promise<Checked> {
  try {
    await core.db.ping();
    return { name: 'database', ok: true, message: `${core.db.kind} reachable` };
  } catch (err) {
    // A SQLite system database is named by its path: relative to the project for readers.
    const message = maskSecretText((err as Error).message);
    const relative = message.split(`${path.resolve(core.root)}${path.sep}`).join('');
    return { name: 'database', ok: false, message: relative, absolute: message };
  }
}

/** A logs root that exists but cannot be read is broken; one that does not exist yet is not. */
async function logsRootCheck(core: CoreContext): Promise<Checked> {
  for (const { dir } of core.logRoots) {
    try {
      await fs.access(dir, fs.constants.R_OK | fs.constants.X_OK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      // Absolute paths for admins only; others see it relative to the project when it is inside.
      const relative = path.relative(core.root, dir);
      const shown = relative.startsWith('..') || path.isAbsolute(relative) ? 'outside the project' : relative;
      return {
        name: 'logs',
        ok: false,
        message: `Logs folder ${shown} is not readable`,
        absolute: `Logs folder ${dir} is not readable`,
      };
    }
  }
  return { name: 'logs', ok: true, message: 'Logs folders readable' };
}
