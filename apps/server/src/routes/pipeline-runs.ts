import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '@meltano-ui/core';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, Nullable } from '../schemas/common.js';
import { CancelAnswer, Launch, LaunchOutput, OfferedRunOptions, RunBody } from '../schemas/launch.js';
import { IdParams } from './runs.js';
import { shownCommand } from './shown-path.js';

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 500 }) });
const LaunchParams = Type.Object({ launch: Type.String({ format: 'uuid' }) });

/**
 * A POST without a body (a plain "Run now", `curl -X POST`) is a run without options: Fastify would
 * check the missing body against the object schema and refuse it.
 */
async function noBodyIsEmpty(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

/** Run now, cancel, and the launch record (argv, pid, exit code, output) of runs started here. */
export const pipelineRunRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { launcher, core } = fastify;

  fastify.post(
    '/schedules/:name/run',
    {
      config: { access: 'operate' },
      schema: {
        tags: ['runs'],
        summary:
          'Run a schedule now with the Meltano CLI (202 with the launch; 409 if it is running), with run options the Meltano version found has (400 naming one it lacks)',
        params: NameParams,
        body: RunBody,
        response: { 202: Type.Ref('Launch'), ...errorResponses(400, 404, 409, 499, 503) },
      },
      preValidation: noBodyIsEmpty,
    },
    async (request, reply) => {
      // Run options are flags and a suffix, never secrets: the audit log keeps them.
      request.audit({ options: request.body.options ?? {} });
      return reply
        .status(202)
        .send(
          shownCommand(
            request,
            await launcher.start('schedule', request.params.name, { options: request.body.options ?? null }),
          ),
        );
    },
  );

  fastify.post(
    '/jobs/:name/run',
    {
      config: { access: 'operate' },
      schema: {
        tags: ['runs'],
        summary: 'Run a job now (`meltano run [options] JOB`)',
        params: NameParams,
        body: RunBody,
        response: { 202: Type.Ref('Launch'), ...errorResponses(400, 404, 409, 499, 503) },
      },
      preValidation: noBodyIsEmpty,
    },
    async (request, reply) => {
      // Run options are flags and a suffix, never secrets: the audit log keeps them.
      request.audit({ options: request.body.options ?? {} });
      return reply
        .status(202)
        .send(
          shownCommand(
            request,
            await launcher.start('job', request.params.name, { options: request.body.options ?? null }),
          ),
        );
    },
  );

  for (const kind of ['schedule', 'job'] as const) {
    fastify.get(
      `/${kind}s/:name/run-options`,
      {
        config: { access: 'read' },
        schema: {
          tags: ['runs'],
          summary: `The run options the Meltano CLI found here has for this ${kind} (by its version)`,
          params: NameParams,
          response: { 200: OfferedRunOptions, ...errorResponses(404, 503) },
        },
      },
      async (request) => launcher.offeredOptions(kind, request.params.name),
    );
  }

  fastify.post(
    '/runs/:id/retry',
    {
      config: { access: 'operate' },
      schema: {
        tags: ['runs'],
        summary:
          'Run a failed or presumed-dead run’s pipeline again with the same options (202 with the new launch; 409 when the run did not fail, its pipeline is unknown or running)',
        params: IdParams,
        response: { 202: Type.Ref('Launch'), ...errorResponses(400, 404, 409, 499, 503) },
      },
    },
    async (request, reply) => {
      const run = await core.db.runs.get(request.params.id);
      if (!run) throw new NotFoundError('run', `No run with id ${request.params.id}`);
      const launch = await launcher.retry(run);
      request.audit({ options: launch.options }, { pipeline: launch.pipeline_name });
      return reply.status(202).send(shownCommand(request, launch));
    },
  );

  fastify.post(
    '/runs/:id/cancel',
    {
      config: { access: 'operate' },
      schema: {
        tags: ['runs'],
        summary:
          'Cancel a run this UI started: SIGTERM, then SIGKILL after a grace period. Any replica answers: when another one owns the run, the request is recorded for it (409 `run_owner_gone` when that replica is gone from another host)',
        params: IdParams,
        response: { 202: CancelAnswer, ...errorResponses(404, 409, 499, 503) },
      },
    },
    async (request, reply) => {
      const run = await core.db.runs.get(request.params.id);
      if (!run) throw new NotFoundError('run', `No run with id ${request.params.id}`);
      const who = request.principal.kind === 'user' ? request.principal.user.username : null;
      const outcome = await launcher.cancelRun(run, who);
      if (outcome.launch) request.audit({}, { pipeline: outcome.launch.pipeline_name });
      const delegated = outcome.handled_by === 'owner_replica';
      return reply.status(202).send({
        ...shownCommand(request, outcome.launch),
        cancel: {
          handled_by: outcome.handled_by,
          owner: { replica_id: outcome.owner.id, host: outcome.owner.host },
          adopted: outcome.adopted === true,
          message: delegated
            ? `The Meltano UI server on ${outcome.owner.host} that owns run #${run.id} was asked to stop it.`
            : outcome.adopted
              ? `This server took run #${run.id} over from a server gone from ${outcome.owner.host} and sent it SIGTERM.`
              : `Run #${run.id} was sent SIGTERM.`,
        },
      });
    },
  );

  fastify.get(
    '/runs/:id/launch',
    {
      config: { access: 'read' },
      schema: {
        tags: ['runs'],
        summary:
          'How this UI started a run: its launch record (null for runs started elsewhere), and the retries started from it',
        params: IdParams,
        response: {
          200: Type.Object({
            launch: Nullable(Launch),
            retries: Type.Array(
              Type.Object({
                launch_id: Type.String(),
                created_at: Type.String({ format: 'date-time' }),
                run_id: Nullable(
                  Type.Integer({ description: 'The retry’s runs.id once Meltano has written it' }),
                ),
              }),
              { description: 'Launches that retried this run, oldest first' },
            ),
          }),
          ...errorResponses(404, 503),
        },
      },
    },
    async (request) => {
      const run = await core.db.runs.get(request.params.id);
      if (!run) throw new NotFoundError('run', `No run with id ${request.params.id}`);
      const [launch, retries] = await Promise.all([launcher.forRun(run), launcher.retriesOf(run)]);
      return {
        launch: launch === null ? null : shownCommand(request, launch),
        retries: retries.map((r) => ({
          launch_id: r.launch.id,
          created_at: r.launch.created_at,
          run_id: r.run?.id ?? null,
        })),
      };
    },
  );

  fastify.get(
    '/launches/:launch',
    {
      config: { access: 'read' },
      schema: {
        tags: ['runs'],
        summary: 'A launch: command, pid, status and exit code of a run started here',
        params: LaunchParams,
        response: { 200: Type.Ref('Launch'), ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => shownCommand(request, await launcher.get(request.params.launch)),
  );

  fastify.get(
    '/launches/:launch/output',
    {
      config: { access: 'read' },
      schema: {
        tags: ['runs'],
        summary:
          "What the Meltano CLI printed: shows why a run could not start before Meltano's own log existed",
        params: LaunchParams,
        querystring: Type.Object({
          tail: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 200 })),
        }),
        response: { 200: LaunchOutput, ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const out = await launcher.output(request.params.launch, request.query.tail ?? 200);
      return { launch: request.params.launch, size: out.size, lines: out.lines, text: out.text };
    },
  );
};
