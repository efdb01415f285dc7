import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  listJobViews,
  listScheduleViews,
  NotFoundError,
  readEntityVersions,
  stateIdOwners,
  stateViaCli,
} from '@meltano-ui/core';
import { Type } from 'typebox';
import { errorResponses } from '../schemas/common.js';
import { StateDetail, StateIdSummary } from '../schemas/pipeline.js';
import { loadedProject } from './load-project.js';
import { latestRunsWithFacts, withCachedRunFacts } from './run-facts.js';

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 500 }) });

export const pipelineRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;

  // One schedule or job is what an edit form is filled from: its content must be as fresh as the
  // `version` read beside it, so those reads look at the files now.
  async function context(opts: { fresh?: boolean } = {}) {
    const project = await loadedProject(fastify, opts);
    return { project, environment: await core.activeEnvironment(project) };
  }

  fastify.get(
    '/schedules',
    {
      config: { access: 'read' },
      // The pipelines page's answer is large (~3 KB per schedule: 500 schedules, 1.5 MB) and polled:
      // V8's JSON.stringify writes it several times faster than the schema's compiled serializer, and
      // as one flat string (whose byte length is cheap). The views are built from the same schema's
      // types; test/schedules-answer.test.ts checks that no field outside the schema gets through.
      serializerCompiler: () => (data: unknown) => JSON.stringify(data),
      schema: {
        tags: ['pipelines'],
        summary: 'Every schedule with its interval, next run, state IDs, latest run and last 20 outcomes',
        response: {
          200: Type.Object({ schedules: Type.Array(Type.Ref('Schedule')) }),
          ...errorResponses(503),
        },
      },
    },
    async () => {
      const { project, environment } = await context();
      const [views, versions] = await Promise.all([
        listScheduleViews(project, core.db, {
          environment,
          now: core.now(),
          processEnv: core.env,
          scheduleGraceSeconds: core.scheduleGraceSeconds,
        }),
        readEntityVersions(project),
      ]);
      const shown = await latestRunsWithFacts(core, views);
      return { schedules: shown.map((v) => ({ ...v, version: versions.schedules[v.name] ?? '' })) };
    },
  );

  fastify.get(
    '/schedules/:name',
    {
      config: { access: 'read' },
      schema: {
        tags: ['pipelines'],
        summary: 'One schedule',
        params: NameParams,
        response: { 200: Type.Ref('Schedule'), ...errorResponses(404, 503) },
      },
    },
    async (request) => {
      const { project, environment } = await context({ fresh: true });
      const schedule = project.schedules.find((s) => s.name === request.params.name);
      if (!schedule) throw new NotFoundError('schedule', `No schedule named '${request.params.name}'`);
      const [[view], versions] = await Promise.all([
        listScheduleViews({ ...project, schedules: [schedule] }, core.db, {
          environment,
          now: core.now(),
          processEnv: core.env,
          scheduleGraceSeconds: core.scheduleGraceSeconds,
          owners: stateIdOwners(project, environment),
        }),
        readEntityVersions(project),
      ]);
      if (!view) throw new NotFoundError('schedule', `No schedule named '${request.params.name}'`);
      const [shown] = await latestRunsWithFacts(core, [view]);
      return { ...(shown ?? view), version: versions.schedules[view.name] ?? '' };
    },
  );

  fastify.get(
    '/jobs',
    {
      config: { access: 'read' },
      schema: {
        tags: ['pipelines'],
        summary: 'Every job with its tasks, state IDs, schedules and latest run',
        response: { 200: Type.Object({ jobs: Type.Array(Type.Ref('Job')) }), ...errorResponses(503) },
      },
    },
    async () => {
      const { project, environment } = await context();
      const [views, versions] = await Promise.all([
        listJobViews(project, core.db, { environment }),
        readEntityVersions(project),
      ]);
      const shown = await latestRunsWithFacts(core, views);
      return { jobs: shown.map((v) => ({ ...v, version: versions.jobs[v.name] ?? '' })) };
    },
  );

  fastify.get(
    '/jobs/:name',
    {
      config: { access: 'read' },
      schema: {
        tags: ['pipelines'],
        summary: 'One job',
        params: NameParams,
        response: { 200: Type.Ref('Job'), ...errorResponses(404, 503) },
      },
    },
    async (request) => {
      const { project, environment } = await context({ fresh: true });
      const job = project.jobs.find((j) => j.name === request.params.name);
      if (!job) throw new NotFoundError('job', `No job named '${request.params.name}'`);
      const [[view], versions] = await Promise.all([
        listJobViews({ ...project, jobs: [job] }, core.db, {
          environment,
          owners: stateIdOwners(project, environment),
        }),
        readEntityVersions(project),
      ]);
      if (!view) throw new NotFoundError('job', `No job named '${request.params.name}'`);
      const [shown] = await latestRunsWithFacts(core, [view]);
      return { ...(shown ?? view), version: versions.jobs[view.name] ?? '' };
    },
  );

  fastify.get(
    '/state',
    {
      config: { access: 'read' },
      schema: {
        tags: ['pipelines'],
        summary: 'Every state ID that has runs, with the schedules and jobs that record it (none = orphan)',
        response: { 200: Type.Object({ state_ids: Type.Array(StateIdSummary) }), ...errorResponses(503) },
      },
    },
    async () => {
      const { project, environment } = await context();
      const owners = stateIdOwners(project, environment);
      const summaries = await core.db.runs.stateIdSummaries();
      const latest = await withCachedRunFacts(
        core,
        summaries.map((s) => s.latest),
      );
      return {
        state_ids: summaries.map((s, i) => ({
          state_id: s.state_id,
          run_count: s.run_count,
          latest_run: latest[i] ?? {
            ...s.latest,
            failure_cause: null,
            records_extracted: null,
            records_loaded: null,
          },
          ...(owners.get(s.state_id) ?? { schedules: [], jobs: [] }),
        })),
      };
    },
  );

  fastify.get(
    '/state/:state_id',
    {
      config: { access: 'read' },
      schema: {
        tags: ['pipelines'],
        summary:
          'The Singer state (bookmarks) stored for a state ID: from the system DB, or through `meltano state get` for another state backend',
        params: Type.Object({ state_id: Type.String({ minLength: 1, maxLength: 900 }) }),
        response: { 200: StateDetail, ...errorResponses(404, 503) },
      },
    },
    async (request) => {
      const { state_id } = request.params;
      // Another state backend (S3, GCS, Azure, a folder): only `meltano state get` can read it.
      const viaCli = await stateViaCli(core, await loadedProject(fastify), state_id);
      if (viaCli !== null) {
        if (viaCli.merged === null) throw new NotFoundError('state', `No state stored for '${state_id}'`);
        const { backend, merged } = viaCli;
        return { state_id, completed_state: null, partial_state: null, merged, updated_at: null, backend };
      }
      const state = await core.db.state.get(state_id);
      if (!state) throw new NotFoundError('state', `No state stored for '${state_id}'`);
      return { ...state, backend: 'systemdb' };
    },
  );
};
