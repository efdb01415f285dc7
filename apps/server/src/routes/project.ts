import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ActiveEnvironment, MeltanoRuntimeStatus, Project as ProjectModel } from '@meltano-ui/core';
import {
  CoreError,
  environmentChoices,
  environmentView,
  pluginSettingsView,
  pluginView,
  projectEnvContext,
  projectErrorView,
  readEntityVersions,
} from '@meltano-ui/core';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { holdsAccess } from '../plugins/app/access-control.js';
import { errorResponses } from '../schemas/common.js';
import { Project } from '../schemas/project.js';
import { PluginSettings } from '../schemas/settings.js';
import { UI_VERSION } from '../version.js';
import { loadedProject } from './load-project.js';
import { settingsEnvironment, settingView } from './setting-view.js';
import { pathShower, textShower } from './shown-path.js';

export const projectRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/project',
    {
      config: { access: 'read' },
      schema: {
        tags: ['project'],
        summary: 'The project: environments, read-only flags, and the load error if a file is broken',
        response: { 200: Project },
      },
    },
    async (request) => {
      const { core } = fastify;
      const admin = holdsAccess(core, request.principal, 'admin-read');
      const snapshot = await core.projectStore.get();
      const project = snapshot.ok ? snapshot.project : null;
      const err = snapshot.ok ? null : snapshot.error;
      const defaultEnvironment = project?.default_environment ?? null;
      const active = await core.workspaceEnvironment.resolveForDisplay(environmentChoices(project));
      return {
        name: path.basename(core.root),
        project_id: project?.project_id ?? null,
        root: admin ? core.root : null,
        files: (project?.files ?? [path.join(core.root, 'meltano.yml')]).map((f) =>
          path.relative(core.root, f),
        ),
        default_environment: defaultEnvironment,
        ...activeEnvironmentFields(active),
        active_environment_unavailable: active.unavailable,
        environments: project ? await environmentViews(project, core.env) : [],
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
        database: { kind: core.db.kind, uri: textShower(request)(core.db.display) },
        ui_version: UI_VERSION,
        meltano: meltanoView(request, fastify.meltanoRuntime.current()),
        load_error: err === null ? null : loadErrorBody(core.root, err),
        loaded_at: (snapshot.loaded_at ?? new Date()).toISOString(),
      };
    },
  );

  fastify.get(
    '/plugins',
    {
      config: { access: 'read' },
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
      const envContext = projectEnvContext(project, fastify.core.env);
      const byType: Record<string, ReturnType<typeof pluginView>[]> = {};
      for (const plugin of project.plugins) {
        const list = byType[plugin.type] ?? [];
        list.push(pluginView(project, plugin, envContext));
        byType[plugin.type] = list;
      }
      return { plugins: byType };
    },
  );

  fastify.get(
    '/plugins/:type/:name',
    {
      config: { access: 'read' },
      schema: {
        tags: ['project'],
        summary: 'One plugin',
        params: Type.Object({ type: Type.String({ maxLength: 100 }), name: Type.String({ maxLength: 300 }) }),
        response: { 200: Type.Ref('Plugin'), ...errorResponses(404, 503) },
      },
    },
    async (request) => {
      const project = await loadedProject(fastify);
      const plugin = findPlugin(project, request.params.type, request.params.name);
      return pluginView(project, plugin, projectEnvContext(project, fastify.core.env));
    },
  );

  fastify.get(
    '/plugins/:type/:name/settings',
    {
      config: { access: 'read' },
      schema: {
        tags: ['project'],
        summary:
          'Every setting of a plugin as Meltano resolves it: value, source layer, env vars; secrets redacted',
        params: Type.Object({ type: Type.String({ maxLength: 100 }), name: Type.String({ maxLength: 300 }) }),
        querystring: Type.Object({
          environment: Type.Optional(
            Type.String({ maxLength: 200, description: 'Default: the active environment' }),
          ),
        }),
        response: { 200: PluginSettings, ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => {
      // Each setting's `version` is what a change is based on (If-Match), and a change just made must show:
      // the files are looked at now, not at most once a second.
      const project = await loadedProject(fastify, { fresh: true });
      const { type, name } = request.params;
      const plugin = findPlugin(project, type, name);
      const environment = await settingsEnvironment(fastify, project, request.query.environment);
      const view = await pluginSettingsView(project, plugin, {
        db: fastify.core.db,
        environment,
        processEnv: fastify.core.env,
      });
      return {
        type,
        name,
        environment: view.environment,
        undecodable_db_rows: view.undecodable_db_rows,
        settings: view.settings.map(settingView),
      };
    },
  );
};

/** The active environment as GET /project and PUT /project/active-environment show it. */
export function activeEnvironmentFields(active: ActiveEnvironment) {
  return {
    active_environment: active.environment,
    active_environment_source: active.source,
    active_environment_locked_reason: active.locked_reason,
    active_environment_updated_at: active.updated_at,
    active_environment_updated_by: active.updated_by,
    active_environment_ignored_choice: active.ignored_choice,
  };
}

async function environmentViews(project: ProjectModel, env: NodeJS.ProcessEnv) {
  const envContext = projectEnvContext(project, env);
  // A version per environment, for If-Match on its edits (a file that changed since reads as no version).
  const versions = await readEntityVersions(project).catch(() => null);
  return project.environments.map((e) => ({
    ...environmentView(project, e, envContext),
    version: versions?.environments[e.name] ?? '',
  }));
}

export function findPlugin(project: ProjectModel, type: string, name: string) {
  const plugin = project.plugins.find((p) => p.type === type && p.name === name);
  if (!plugin) throw new CoreError('plugin_not_found', 404, `No ${type} plugin named '${name}'`);
  return plugin;
}

/** Masked and project-relative for everyone: the excerpt may quote a secret. */
function loadErrorBody(root: string, err: CoreError) {
  const { code, message, file, line, column } = projectErrorView(root, err);
  return { code, message, file, line, column };
}

function meltanoView(request: FastifyRequest, found: MeltanoRuntimeStatus) {
  return {
    ...found,
    executable: found.executable === null ? null : pathShower(request)(found.executable),
    reason: found.reason === null ? null : textShower(request)(found.reason),
  };
}
