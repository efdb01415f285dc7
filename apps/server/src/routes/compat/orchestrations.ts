import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type CoreContext, NotFoundError, openRunLog } from '@meltano-ui/core';
import { Type } from 'typebox';
import { sendLogFile } from '../log-download.js';
import { oldErrors } from './old-errors.js';
import { oldRunFields } from './run-fields.js';
import { OLD_UI_TAG } from './tag.js';

/** The old log route's cap: a larger log is not read (`log: null`), the client offers the download. */
export const OLD_LOG_MAX_BYTES = 2 * 1024 * 1024;

const StateIdParams = Type.Object({ state_id: Type.String({ minLength: 1, maxLength: 900 }) });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const JobStatus = Type.Object({
  state_id: Type.String(),
  is_complete: Type.Boolean(),
  has_error: Type.Boolean(),
  started_at: Nullable(Type.String({ description: 'RFC 1123' })),
  ended_at: Nullable(Type.String({ description: 'RFC 1123' })),
  has_ever_succeeded: Type.Union([Type.Literal(true), Type.Null()]),
});
const LogAnswer = Type.Object({
  state_id: Type.String(),
  log: Nullable(Type.String()),
  has_log_exceeded_max_size: Type.Boolean(),
  has_error: Type.Boolean(),
  started_at: Nullable(Type.String()),
  ended_at: Nullable(Type.String()),
  trigger: Nullable(Type.String()),
  has_ever_succeeded: Type.Union([Type.Literal(true), Type.Null()]),
});

/**
 * The latest run of `stateId` with its log opened (core's lookup: the newest run's own elt.log, not
 * the newest file by ctime as the old UI picked, and nothing is created on a read). 404 when the state
 * ID has no run or its run has no log yet.
 */
async function latestLog(core: CoreContext, stateId: string) {
  const fields = (await oldRunFields(core, [stateId])).get(stateId);
  const run = fields?.latest ?? null;
  if (!fields || run === null) {
    throw new NotFoundError('log', `No log found for the pipeline '${stateId}'.`);
  }
  try {
    return { fields, log: await openRunLog(core.db, core.logRoots, run.id) };
  } catch (err) {
    if (err instanceof NotFoundError) {
      throw new NotFoundError('log', `No log found for the pipeline '${stateId}'.`);
    }
    throw err;
  }
}

/** The old `orchestrations` blueprint: job status, logs, and running a schedule. */
export const compatOrchestrationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;

  fastify.post(
    '/orchestrations/jobs/state',
    {
      config: { access: 'read' },
      schema: {
        tags: [OLD_UI_TAG],
        summary: "The latest run of each state ID (ids without runs are left out), as the old UI's poll",
        body: Type.Object({ state_ids: Type.Array(Type.String({ maxLength: 900 }), { maxItems: 1000 }) }),
        response: { 200: Type.Object({ jobs: Type.Array(JobStatus) }), ...oldErrors(400, 401) },
      },
    },
    async (request) => {
      const fields = await oldRunFields(core, request.body.state_ids);
      const jobs = [];
      for (const [state_id, f] of fields) {
        if (f.latest === null) continue;
        jobs.push({
          state_id,
          is_complete: f.is_complete,
          has_error: f.has_error,
          started_at: f.started_at,
          ended_at: f.ended_at,
          has_ever_succeeded: f.has_ever_succeeded,
        });
      }
      return { jobs };
    },
  );

  fastify.get(
    '/orchestrations/jobs/:state_id/log',
    {
      config: { access: 'read' },
      schema: {
        tags: [OLD_UI_TAG],
        summary: `The latest run's whole log; over ${OLD_LOG_MAX_BYTES} bytes, log is null and has_log_exceeded_max_size true`,
        params: StateIdParams,
        response: { 200: LogAnswer, ...oldErrors(401, 404) },
      },
    },
    async (request) => {
      const { state_id } = request.params;
      const { fields, log } = await latestLog(core, state_id);
      let text: string | null = null;
      let exceeded = false;
      try {
        // Size and content from the one open handle: the file checked is the file read.
        const { size } = await log.handle.stat();
        if (size > OLD_LOG_MAX_BYTES) exceeded = true;
        else text = (await log.handle.readFile()).toString('utf8');
      } finally {
        await log.handle.close();
      }
      return {
        state_id,
        log: text,
        has_log_exceeded_max_size: exceeded,
        has_error: fields.has_error,
        started_at: fields.started_at,
        ended_at: fields.ended_at,
        trigger: fields.trigger,
        has_ever_succeeded: fields.has_ever_succeeded,
      };
    },
  );

  fastify.get(
    '/orchestrations/jobs/:state_id/download',
    {
      config: { access: 'read', streams: true },
      schema: {
        tags: [OLD_UI_TAG],
        summary: "The latest run's log file as text/plain, whatever its size (Range requests work)",
        params: StateIdParams,
        response: { 200: Type.String(), 206: Type.String(), ...oldErrors(401, 404, 416) },
      },
    },
    async (request, reply) => {
      const { state_id } = request.params;
      const { log } = await latestLog(core, state_id);
      return sendLogFile(request, reply, log.handle, `${state_id.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`);
    },
  );

  fastify.post(
    '/orchestrations/run',
    {
      config: { access: 'operate' },
      schema: {
        tags: [OLD_UI_TAG],
        summary: 'Run a schedule now (202 with its state ID; 404 unknown schedule, 409 while it runs)',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 500 }) }),
        response: {
          202: Type.Object({ state_id: Type.String() }),
          ...oldErrors(400, 401, 403, 404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const { name } = request.body;
      await fastify.launcher.start('schedule', name, { options: null });
      request.audit({ options: {} }, { pipeline: name });
      return reply.status(202).send({ state_id: name });
    },
  );
};
