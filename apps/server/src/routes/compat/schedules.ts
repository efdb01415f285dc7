import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ConflictError,
  type CoreContext,
  createSchedule,
  deleteSchedule,
  InvalidInputError,
  NotFoundError,
  type Project,
  pluginSettingsView,
  type Schedule,
  updateSchedule,
} from '@meltano-ui/core';
import { Type } from 'typebox';
import { StringEnum } from '../../schemas/common.js';
import { loadedProject, reloadProject } from '../load-project.js';
import { OldAnswer, oldErrors } from './old-errors.js';
import { oldRunFields } from './run-fields.js';
import { slugify } from './slugify.js';
import { OLD_UI_TAG } from './tag.js';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Interval = Type.String({
  minLength: 1,
  maxLength: 200,
  description: '@once, @daily, … or a cron expression',
});
const Transform = StringEnum(['run', 'skip', 'only']);
const ScheduleObject = Type.Object(
  { name: Type.String() },
  { additionalProperties: true, description: 'A schedule as the old UI showed it (empty fields left out)' },
);

/** `YYYY-MM-DD` of a start_date as written (`2021-01-01`, `2026-11-21 04:36:07+00:00`), else null. */
function dateOnly(value: string | null): string | null {
  const match = value === null ? null : /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
  return match?.[1] ?? null;
}

/** The schedule object of the old UI: attributes that are null, {} or '' are left out (false is kept). */
function scheduleObject(schedule: Schedule): { name: string } & Record<string, unknown> {
  const fields: Record<string, unknown> =
    schedule.kind === 'elt'
      ? {
          name: schedule.name,
          extractor: schedule.extractor,
          loader: schedule.loader,
          transform: schedule.transform,
          interval: schedule.interval,
          start_date: dateOnly(schedule.start_date),
          env: schedule.env,
        }
      : { name: schedule.name, interval: schedule.interval, job: schedule.job, env: schedule.env };
  const out: { name: string } & Record<string, unknown> = { name: schedule.name };
  for (const [key, value] of Object.entries(fields)) {
    const empty =
      value === null ||
      value === undefined ||
      value === '' ||
      (typeof value === 'object' && Object.keys(value).length === 0);
    if (!empty) out[key] = value;
  }
  return out;
}

function truthy(value: string | undefined): boolean {
  return ['true', '1', 'yes', 'on'].includes((value ?? '').trim().toLowerCase());
}

/** The extractor's own `start_date` setting (as the old UI used), else today (UTC). */
async function startDateFor(core: CoreContext, project: Project, extractor: string): Promise<string> {
  const plugin = project.plugins.find((p) => p.type === 'extractors' && p.name === extractor);
  if (plugin) {
    const view = await pluginSettingsView(project, plugin, {
      db: core.db,
      environment: null,
      processEnv: core.env,
    });
    const setting = view.settings.find((s) => s.name === 'start_date');
    const value = typeof setting?.value === 'string' && !setting.redacted ? dateOnly(setting.value) : null;
    if (value !== null) return value;
  }
  return new Date().toISOString().slice(0, 10);
}

function missing(name: string): OldAnswer {
  return new OldAnswer(404, { error: true, code: `A pipeline with the name '${name}' does not exist..` });
}

/** The old pipeline-schedules routes, on core's schedule writer (meltano.yml, where the schedule lives). */
export const compatScheduleRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;

  fastify.get(
    '/orchestrations/pipeline-schedules',
    {
      config: { access: 'read' },
      schema: {
        tags: [OLD_UI_TAG],
        summary:
          'ELT schedules with the status of their latest run (job schedules only with the feature flag)',
        response: { 200: Type.Array(ScheduleObject), ...oldErrors(401, 503) },
      },
    },
    async () => {
      const project = await loadedProject(fastify);
      const withJobs = truthy(core.env.MELTANO_FF_ENABLE_API_SCHEDULED_JOB_LIST);
      const elt = project.schedules.filter((s) => s.kind === 'elt');
      const fields = await oldRunFields(
        core,
        elt.map((s) => s.name),
      );
      const out: ({ name: string } & Record<string, unknown>)[] = [];
      for (const schedule of project.schedules) {
        if (schedule.kind === 'job') {
          if (withJobs) out.push(scheduleObject(schedule));
          continue;
        }
        const f = fields.get(schedule.name);
        out.push({
          ...scheduleObject(schedule),
          state_id: schedule.name,
          is_running: f?.is_running ?? false,
          has_error: f?.has_error ?? false,
          started_at: f?.started_at ?? null,
          ended_at: f?.ended_at ?? null,
          trigger: f?.trigger ?? null,
          has_ever_succeeded: f?.has_ever_succeeded ?? null,
        });
      }
      return out;
    },
  );

  fastify.post(
    '/orchestrations/pipeline-schedules',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: [OLD_UI_TAG],
        summary: 'Add an ELT schedule (its name slugified); 201 with it, 409 when the name is taken',
        body: Type.Object({
          name: Name,
          extractor: Name,
          loader: Name,
          transform: Type.Optional(Transform),
          interval: Interval,
        }),
        response: { 201: ScheduleObject, ...oldErrors(400, 401, 403, 409, 499, 503, 507) },
      },
    },
    async (request, reply) => {
      const { extractor, loader, interval } = request.body;
      const name = slugify(request.body.name);
      if (name === '') throw new InvalidInputError('The pipeline name has no letters or digits.');
      const duplicate = new OldAnswer(409, {
        error: true,
        code: `A pipeline with the name '${name}' already exists. Try renaming the pipeline.`,
      });
      const project = await loadedProject(fastify, { fresh: true });
      if (project.schedules.some((s) => s.name === name)) throw duplicate;
      const start_date = await startDateFor(core, project, extractor);
      try {
        await createSchedule(core.root, {
          name,
          extractor,
          loader,
          transform: request.body.transform ?? 'skip',
          interval,
          start_date,
        });
      } catch (err) {
        if (err instanceof ConflictError && /already|exists/i.test(err.message)) throw duplicate;
        throw err;
      }
      await reloadProject(fastify);
      const written = (await loadedProject(fastify, { fresh: true })).schedules.find((s) => s.name === name);
      return reply.status(201).send(written ? scheduleObject(written) : { name });
    },
  );

  fastify.put(
    '/orchestrations/pipeline-schedules',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: [OLD_UI_TAG],
        summary:
          'Change the interval and/or transform of the schedule `name` (`plugin_namespace` alone only when one schedule matches)',
        body: Type.Object({
          name: Type.Optional(Name),
          plugin_namespace: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
          interval: Type.Optional(Interval),
          transform: Type.Optional(Transform),
        }),
        response: { 201: ScheduleObject, ...oldErrors(400, 401, 403, 404, 409, 499, 503, 507) },
      },
    },
    async (request, reply) => {
      const { interval, transform, plugin_namespace } = request.body;
      const project = await loadedProject(fastify, { fresh: true });
      let name = request.body.name;
      if (name === undefined) {
        if (plugin_namespace === undefined)
          throw new InvalidInputError('Give the schedule `name` to change.');
        // The old UI took the first schedule of an extractor with that namespace (often the wrong one):
        // here only an unambiguous one is changed.
        const matching = project.schedules.filter((s) => {
          if (s.kind !== 'elt') return false;
          const plugin = project.plugins.find((p) => p.type === 'extractors' && p.name === s.extractor);
          return (plugin?.namespace ?? s.extractor.replaceAll('-', '_')) === plugin_namespace;
        });
        if (matching.length !== 1) {
          throw new InvalidInputError(
            matching.length === 0
              ? `No schedule runs an extractor of namespace '${plugin_namespace}'.`
              : `${matching.length} schedules run an extractor of namespace '${plugin_namespace}': give the schedule \`name\`.`,
          );
        }
        name = matching[0]?.name as string;
      }
      if (!project.schedules.some((s) => s.name === name)) throw missing(name);
      const patch = {
        ...(interval !== undefined ? { interval } : {}),
        ...(transform !== undefined ? { transform } : {}),
      };
      if (Object.keys(patch).length > 0) await updateSchedule(core.root, name, patch);
      await reloadProject(fastify);
      const written = (await loadedProject(fastify, { fresh: true })).schedules.find((s) => s.name === name);
      return reply.status(201).send(written ? scheduleObject(written) : { name });
    },
  );

  fastify.delete(
    '/orchestrations/pipeline-schedules',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: [OLD_UI_TAG],
        summary: 'Remove a schedule; 201 with its name as a JSON string (its runs and logs stay)',
        body: Type.Object({ name: Name }),
        response: { 201: Type.String(), ...oldErrors(400, 401, 403, 404, 409, 499, 503, 507) },
      },
    },
    async (request, reply) => {
      const { name } = request.body;
      try {
        await deleteSchedule(core.root, name);
      } catch (err) {
        if (err instanceof NotFoundError) throw missing(name);
        throw err;
      }
      await reloadProject(fastify);
      return reply.status(201).type('application/json').send(JSON.stringify(name));
    },
  );
};
