import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  createJob,
  createSchedule,
  deleteJob,
  deleteSchedule,
  updateJob,
  updateSchedule,
} from '@meltano-ui/core';
import { Type } from 'typebox';
import { errorResponses, Nullable, StringEnum, StringMap } from '../schemas/common.js';
import { IfMatch, ifMatchOptions } from './if-match.js';
import { reloadProject } from './load-project.js';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const NameParams = Type.Object({ name: Name });
const Interval = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'A cron expression or @hourly, @daily, …',
});
const Transform = StringEnum(['run', 'skip', 'only']);

const ScheduleBody = Type.Union([
  Type.Object(
    { name: Name, interval: Interval, job: Name, env: Type.Optional(StringMap) },
    { additionalProperties: false, title: 'Job schedule' },
  ),
  Type.Object(
    {
      name: Name,
      interval: Interval,
      extractor: Name,
      loader: Name,
      transform: Type.Optional(Transform),
      env: Type.Optional(StringMap),
    },
    { additionalProperties: false, title: 'ELT schedule' },
  ),
]);
const SchedulePatch = Type.Partial(
  Type.Object({
    name: Name,
    interval: Interval,
    job: Name,
    extractor: Name,
    loader: Name,
    transform: Transform,
    env: StringMap,
  }),
  { additionalProperties: false },
);
const JobBody = Type.Object(
  {
    name: Name,
    tasks: Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);
const JobPatch = Type.Partial(JobBody, { additionalProperties: false });
const Written = Type.Object({
  name: Type.String(),
  version: Nullable(Type.String({ description: 'The new version (null after a delete)' })),
  source_file: Type.String({ description: 'The file the entity lives in, relative to the project root' }),
});

/** Create, change, rename and delete schedules and jobs, in the file each came from. */
export const pipelineWriteRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;
  // The project is re-read so a run started next finds the new entity; paths are relative, as everywhere.
  const written = async <T extends { source_file: string }>(result: T): Promise<T> => {
    await reloadProject(fastify);
    return { ...result, source_file: path.relative(core.root, path.resolve(core.root, result.source_file)) };
  };

  fastify.post(
    '/schedules',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: ['pipelines'],
        summary: 'Add a schedule (job or ELT shape, meltano.yml field names) to meltano.yml',
        body: ScheduleBody,
        response: { 201: Written, ...errorResponses(400, 409, 499, 503, 507) },
      },
    },
    async (request, reply) => {
      return reply.status(201).send(await written(await createSchedule(core.root, request.body)));
    },
  );

  fastify.patch(
    '/schedules/:name',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: ['pipelines'],
        summary: 'Change or rename a schedule, in the file it came from',
        params: NameParams,
        headers: IfMatch,
        body: SchedulePatch,
        response: { 200: Written, ...errorResponses(400, 404, 409, 499, 503, 507) },
      },
    },
    async (request) => {
      return written(
        await updateSchedule(core.root, request.params.name, request.body, ifMatchOptions(request.headers)),
      );
    },
  );

  fastify.delete(
    '/schedules/:name',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: ['pipelines'],
        summary: 'Remove a schedule (its runs, logs and state stay)',
        params: NameParams,
        headers: IfMatch,
        response: { 200: Written, ...errorResponses(404, 409, 499, 503, 507) },
      },
    },
    async (request) => {
      return await written(
        await deleteSchedule(core.root, request.params.name, ifMatchOptions(request.headers)),
      );
    },
  );

  fastify.post(
    '/jobs',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: ['pipelines'],
        summary: 'Add a job',
        body: JobBody,
        response: { 201: Written, ...errorResponses(400, 409, 499, 503, 507) },
      },
    },
    async (request, reply) => {
      return reply.status(201).send(await written(await createJob(core.root, request.body)));
    },
  );

  fastify.patch(
    '/jobs/:name',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: ['pipelines'],
        summary: 'Change or rename a job',
        params: NameParams,
        headers: IfMatch,
        body: JobPatch,
        response: { 200: Written, ...errorResponses(400, 404, 409, 499, 503, 507) },
      },
    },
    async (request) => {
      return written(
        await updateJob(core.root, request.params.name, request.body, ifMatchOptions(request.headers)),
      );
    },
  );

  fastify.delete(
    '/jobs/:name',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: ['pipelines'],
        summary: 'Remove a job (refused while a schedule runs it)',
        params: NameParams,
        headers: IfMatch,
        response: { 200: Written, ...errorResponses(404, 409, 499, 503, 507) },
      },
    },
    async (request) => {
      return await written(await deleteJob(core.root, request.params.name, ifMatchOptions(request.headers)));
    },
  );
};
