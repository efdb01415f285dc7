import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CoreError, environmentView, ProjectFileError, pluginView } from '@meltano-ui/core';
import { Type } from 'typebox';
import { errorResponses } from '../schemas/common.js';
import { Project } from '../schemas/project.js';
import { UI_VERSION } from '../version.js';
import { loadedProject } from './load-project.js';

export const projectRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/project',
    {
      schema: {
        tags: ['project'],
        summary: 'The project: environments, read-only flags, and the load error if a file is broken',
        response: { 200: Project },
      },
    },
    async () => {
      const { core } = fastify;
      const snapshot = await core.projectStore.get();
      const project = snapshot.ok ? snapshot.project : null;
      const err = snapshot.ok ? null : snapshot.error;
      const defaultEnvironment = project?.default_environment ?? null;
      return {
        name: path.basename(core.root),
        project_id: project?.project_id ?? null,
        root: core.root,
        files: (project?.files ?? [path.join(core.root, 'meltano.yml')]).map((f) =>
          path.relative(core.root, f),
        ),
        default_environment: defaultEnvironment,
        active_environment: core.activeEnvironment(defaultEnvironment),
        environments: project ? project.environments.map((e) => environmentView(project, e)) : [],
        counts: {
          plugins: project?.plugins.length ?? 0,
          schedules: project?.schedules.length ?? 0,
          jobs: project?.jobs.length ?? 0,
          environments: project?.environments.length ?? 0,
        },
        readonly: core.readonly,
        project_readonly: core.projectReadonly,
        anonymous_readonly: core.anonymousReadonly,
        authentication: core.authentication,
        database: { kind: core.db.kind, uri: core.db.display },
        ui_version: UI_VERSION,
        load_error: err === null ? null : loadErrorBody(core.root, err),
        loaded_at: (snapshot.loaded_at ?? new Date()).toISOString(),
      };
    },
  );

  fastify.get(
    '/plugins',
    {
      schema: {
        tags: ['project'],
        summary: 'Installed (project) plugins by type, inheritance resolved, secrets redacted',
        response: {
          200: Type.Object({ plugins: Type.Record(Type.String(), Type.Array(Type.Ref('Plugin'))) }),
          ...errorResponses(503),
        },
      },
    },
    async () => {
      const project = await loadedProject(fastify);
      const byType: Record<string, ReturnType<typeof pluginView>[]> = {};
      for (const plugin of project.plugins) {
        const list = byType[plugin.type] ?? [];
        list.push(pluginView(project, plugin));
        byType[plugin.type] = list;
      }
      return { plugins: byType };
    },
  );

  fastify.get(
    '/plugins/:type/:name',
    {
      schema: {
        tags: ['project'],
        summary: 'One plugin',
        params: Type.Object({ type: Type.String({ maxLength: 100 }), name: Type.String({ maxLength: 300 }) }),
        response: { 200: Type.Ref('Plugin'), ...errorResponses(404, 503) },
      },
    },
    async (request) => {
      const project = await loadedProject(fastify);
      const plugin = project.plugins.find(
        (p) => p.type === request.params.type && p.name === request.params.name,
      );
      if (!plugin) {
        throw new CoreError(
          'plugin_not_found',
          404,
          `No ${request.params.type} plugin named '${request.params.name}'`,
        );
      }
      return pluginView(project, plugin);
    },
  );
};

function loadErrorBody(root: string, err: CoreError) {
  const loc = err instanceof ProjectFileError ? err.location : null;
  return {
    code: err.code,
    message: err.message,
    file: loc ? path.relative(root, loc.file) : null,
    line: loc?.line ?? null,
    column: loc?.column ?? null,
  };
}
