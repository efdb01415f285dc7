import fs from 'node:fs/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const Check = Type.Object({ name: Type.String(), ok: Type.Boolean(), message: Type.String() });
const Readiness = Type.Object({ ready: Type.Boolean(), checks: Type.Array(Check) });

/**
 * `/health` answers 200 whatever the state of the project or database: reverse proxies and
 * orchestrators use it for liveness. `/ready` names what is broken.
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
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Readiness: 503 naming the broken part (database, project files, logs root)',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const { core } = fastify;
      const checks: { name: string; ok: boolean; message: string }[] = [];
      const snapshot = await core.projectStore.get();
      checks.push(
        snapshot.ok
          ? { name: 'project', ok: true, message: 'meltano.yml and included files parse' }
          : { name: 'project', ok: false, message: snapshot.error.message },
      );
      try {
        await core.db.ping();
        checks.push({ name: 'database', ok: true, message: `${core.db.kind} reachable` });
      } catch (err) {
        checks.push({ name: 'database', ok: false, message: (err as Error).message });
      }
      checks.push(await logsRootCheck(core.logRoots.map((r) => r.dir)));
      const ready = checks.every((c) => c.ok);
      return reply.status(ready ? 200 : 503).send({ ready, checks });
    },
  );
};

/** A logs root that exists but cannot be read is broken; one that does not exist yet is not. */
async function logsRootCheck(dirs: string[]) {
  for (const dir of dirs) {
    try {
      await fs.access(dir, fs.constants.R_OK | fs.constants.X_OK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return { name: 'logs', ok: false, message: `Logs folder ${dir} is not readable` };
    }
  }
  return { name: 'logs', ok: true, message: 'Logs folders readable' };
}
