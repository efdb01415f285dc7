import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ConflictError,
  createEnvironment,
  deleteEnvironment,
  type EnvironmentWriteResult,
  environmentChoices,
  updateEnvironment,
} from '@meltano-ui/core';
import { Type } from 'typebox';
import { errorResponses, Nullable, StringMap } from '../schemas/common.js';
import { IfMatch, ifMatchOptions } from './if-match.js';
import { loadedProject, reloadProject } from './load-project.js';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const NameParams = Type.Object({ name: Name });
const Suffix = Nullable(
  Type.String({ maxLength: 200, description: 'state_id_suffix: appended to the state IDs of its jobs' }),
);

const EnvironmentBody = Type.Object(
  { name: Name, env: Type.Optional(StringMap), state_id_suffix: Type.Optional(Suffix) },
  { additionalProperties: false },
);
const PluginOverride = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 100, description: 'extractors, loaders, …' }),
    name: Type.String({ minLength: 1, maxLength: 300 }),
    config: Type.Optional(
      Type.Record(Type.String({ maxLength: 300 }), Type.Unknown(), {
        description: "Replaces the override's config; {} removes it; `(redacted)` keeps a secret as it is",
      }),
    ),
    env: Type.Optional(StringMap),
  },
  { additionalProperties: false },
);
const EnvironmentPatch = Type.Object(
  {
    name: Type.Optional(Name),
    env: Type.Optional(StringMap),
    state_id_suffix: Type.Optional(Suffix),
    plugins: Type.Optional(
      Type.Array(PluginOverride, {
        maxItems: 200,
        description: 'Per-plugin overrides to change; overrides not listed stay as they are',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
const EnvironmentWritten = Type.Object({
  name: Type.String(),
  version: Nullable(Type.String({ description: 'The new version (null after a delete)' })),
  source_file: Type.String({
    description: 'The file the environment lives in, relative to the project root',
  }),
  state_id_changes: Type.Array(Type.Object({ job: Type.String(), from: Type.String(), to: Type.String() }), {
    description: 'State IDs a rename or new suffix changes: runs and Singer state stay under the old ones',
  }),
  warnings: Type.Array(Type.String(), { description: 'What else still names the old environment' }),
});

/** Create, change, rename and delete environments, in the file each came from. */
export const environmentWriteRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;
  const written = async (result: EnvironmentWriteResult) => {
    await reloadProject(fastify);
    return { ...result, source_file: path.relative(core.root, path.resolve(core.root, result.source_file)) };
  };

  fastify.post(
    '/environments',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: ['project'],
        summary: 'Add an environment to meltano.yml',
        body: EnvironmentBody,
        response: { 201: EnvironmentWritten, ...errorResponses(400, 409, 499, 503) },
      },
    },
    async (request, reply) => {
      return reply.status(201).send(await written(await createEnvironment(core.root, request.body)));
    },
  );

  fastify.patch(
    '/environments/:name',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: ['project'],
        summary:
          'Rename an environment or change its env, state_id_suffix and per-plugin overrides (a rename names the state IDs that change)',
        params: NameParams,
        headers: IfMatch,
        querystring: Type.Object({
          dry_run: Type.Optional(
            Type.Boolean({
              description: 'Check and answer what would change (state IDs, warnings), write nothing',
            }),
          ),
        }),
        body: EnvironmentPatch,
        response: { 200: EnvironmentWritten, ...errorResponses(400, 404, 409, 499, 503) },
      },
    },
    async (request) => {
      const from = request.params.name;
      const dryRun = request.query.dry_run === true;
      const result = await updateEnvironment(core.root, from, request.body, {
        ...ifMatchOptions(request.headers),
        dryRun,
      });
      const warnings = [...result.warnings];
      if (dryRun) return { ...result, source_file: path.relative(core.root, result.source_file), warnings };
      if (result.name !== from) {
        // The workspace's choice follows the rename; MELTANO_ENVIRONMENT set outside cannot.
        await core.workspaceEnvironment.renamed(from, result.name);
        const active = await core.workspaceEnvironment.resolve({ default_environment: null, names: null });
        if (active.environment === from && active.source !== 'ui') {
          warnings.push(
            `MELTANO_ENVIRONMENT (${active.source === 'dotenv' ? '.env' : "the UI's process environment"}) still names '${from}'; change it to '${result.name}'.`,
          );
        }
      }
      return written({ ...result, warnings });
    },
  );

  fastify.delete(
    '/environments/:name',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: ['project'],
        summary:
          'Remove an environment (refused for default_environment and the active one; runs and state stay)',
        params: NameParams,
        headers: IfMatch,
        response: { 200: EnvironmentWritten, ...errorResponses(404, 409, 499, 503) },
      },
    },
    async (request) => {
      const name = request.params.name;
      const project = await loadedProject(fastify, { fresh: true });
      const active = await core.workspaceEnvironment.resolve(environmentChoices(project));
      if (active.environment === name && active.source !== 'default_environment') {
        throw new ConflictError(
          'environment_active',
          `'${name}' is this workspace's active environment: switch to another one on the Settings page first`,
          { active_environment: name },
        );
      }
      return written(await deleteEnvironment(core.root, name, ifMatchOptions(request.headers)));
    },
  );
};
