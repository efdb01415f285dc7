import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CoreError,
  InvalidInputError,
  pipelineDefaultEnvironment,
  pipelineEnvironmentView,
} from '@meltano-ui/core';
import { Type } from 'typebox';
import { errorResponses } from '../schemas/common.js';
import { PipelineEnvironment } from '../schemas/settings.js';
import { loadedProject } from './load-project.js';
import { settingView } from './setting-view.js';

const Params = Type.Object({ name: Type.String({ minLength: 1, maxLength: 500 }) });
const Query = Type.Object({
  environment: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: "Default: the one a run would use (a schedule's MELTANO_ENVIRONMENT, else the active one)",
    }),
  ),
  no_environment: Type.Optional(
    Type.Boolean({ description: 'Resolve with no environment at all (as `--no-environment`)' }),
  ),
});

/** A pipeline's Environment tab: every setting of every plugin it runs, as a run would resolve it. */
export const pipelineEnvironmentRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;

  for (const kind of ['schedule', 'job'] as const) {
    fastify.get(
      `/${kind}s/:name/environment`,
      {
        config: { access: 'read' },
        schema: {
          tags: ['pipelines'],
          summary: `Every setting of each plugin the ${kind} runs, for an environment, with the layer it came from; secrets redacted`,
          params: Params,
          querystring: Query,
          response: { 200: PipelineEnvironment, ...errorResponses(400, 404, 503) },
        },
      },
      async (request) => {
        const project = await loadedProject(fastify, { fresh: true });
        const pipeline = { kind, name: request.params.name };
        const active = await core.activeEnvironment(project);
        const { no_environment: none, environment: asked } = request.query;
        if (none === true && asked !== undefined) {
          throw new InvalidInputError('Give `environment` or `no_environment`, not both');
        }
        const environment =
          none === true ? null : (asked ?? pipelineDefaultEnvironment(project, pipeline, active));
        if (environment !== null && !project.environments.some((e) => e.name === environment)) {
          throw new CoreError('environment_not_found', 404, `No environment named '${environment}'`);
        }
        const view = await pipelineEnvironmentView(project, pipeline, {
          db: core.db,
          environment,
          processEnv: core.env,
        });
        return {
          pipeline,
          environment: view.environment,
          active_environment: active,
          default_environment: pipelineDefaultEnvironment(project, pipeline, active),
          environments: project.environments.map((e) => e.name),
          plugins: view.plugins.map((p) => ({
            type: p.type,
            name: p.name,
            blocks: p.blocks,
            settings: p.settings.map(settingView),
          })),
          unknown_blocks: view.unknown_blocks,
          schedule_env_vars: view.schedule_env_vars,
          undecodable_db_rows: view.undecodable_db_rows,
        };
      },
    );
  }
};
