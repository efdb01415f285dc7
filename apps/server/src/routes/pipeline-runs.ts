import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '@meltano-ui/core';
import { Type } from 'typebox';
import { errorResponses, Nullable } from '../schemas/common.js';
import { CancelAnswer, LaunchOutput } from '../schemas/launch.js';
import { IdParams } from './runs.js';
import { shownCommand } from './shown-path.js';

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 500 }) });
const LaunchParams = Type.Object({ launch: Type.String({ format: 'uuid' }) });

/** Run now, cancel, and the launch record (argv, pid, exit code, output) of runs started here. */
export const pipelineRunRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { launcher, core } = fastify;

  fastify.post(
    '/schedules/:name/run',
    {
      config: { access: 'operate' },
      schema: {
        tags: ['runs'],
        summary: 'Run a schedule now with the Meltano CLI (202 with the launch; 409 if it is running)',
        params: NameParams,
        response: { 202: Type.Ref('Launch'), ...errorResponses(400, 404, 409, 499, 503) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(shownCommand(request, await launcher.start('schedule', request.params.name))),
  );

  fastify.post(
    '/jobs/:name/run',
    {
      config: { access: 'operate' },
      schema: {
        tags: ['runs'],
        summary: 'Run a job now (`meltano run JOB`)',
        params: NameParams,
        response: { 202: Type.Ref('Launch'), ...errorResponses(400, 404, 409, 499, 503) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(shownCommand(request, await launcher.start('job', request.params.name))),
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
        summary: 'How this UI started a run: its launch record, or null for runs started elsewhere',
        params: IdParams,
        response: { 200: Type.Object({ launch: Nullable(Type.Ref('Launch')) }), ...errorResponses(404, 503) },
      },
    },
    async (request) => {
      const run = await core.db.runs.get(request.params.id);
      if (!run) throw new NotFoundError('run', `No run with id ${request.params.id}`);
      const launch = await launcher.forRun(run);
      return { launch: launch === null ? null : shownCommand(request, launch) };
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
