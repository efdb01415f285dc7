import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { setPluginSetting, unsetPluginSetting } from '@meltano-ui/core';
import { Type } from 'typebox';
import { projectReadonlyNow } from '../plugins/app/access-control.js';
import { errorResponses, Nullable } from '../schemas/common.js';
import { PluginTypeName } from '../schemas/plugin-writes.js';
import { PluginSetting, Store } from '../schemas/settings.js';
import { IfMatch, ifMatchOptions } from './if-match.js';
import { loadedProject } from './load-project.js';
import { findPlugin } from './project.js';
import { settingsEnvironment, settingView } from './setting-view.js';

const SettingParams = Type.Intersect([
  PluginTypeName,
  Type.Object({ setting: Type.String({ minLength: 1, maxLength: 300 }) }),
]);
const EnvironmentQuery = Type.Object({
  environment: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'Default: the active environment, as the settings page shows',
    }),
  ),
});
const SettingWritten = Type.Object({
  setting: Type.String(),
  store: Nullable(Store),
  file: Nullable(Type.String({ description: 'Relative to the project root; null for the system database' })),
  env_var: Nullable(Type.String({ description: 'The `.env` variable written' })),
  removed_from: Type.Optional(Type.Array(Store)),
  resolved: PluginSetting,
  notices: Type.Array(Type.String(), {
    description: 'What the write changed beyond the value, e.g. a `.env` others could read made 0600',
  }),
});

/**
 * `meltano config <plugin> set|unset`: each value goes to the store Meltano's auto store picks (secrets to
 * `.env`, never meltano.yml; the system database when project_readonly), refused when a layer we cannot
 * write (the process environment) would still win.
 */
export const settingWriteRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;
  const relative = (file: string | null) => (file === null ? null : path.relative(core.root, file));

  const target = async (params: { type: string; name: string }, environment: string | undefined) => {
    // A plugin added a moment ago can be configured at once.
    const project = await loadedProject(fastify, { fresh: true });
    findPlugin(project, params.type, params.name);
    const env = await settingsEnvironment(fastify, project, environment);
    return {
      root: core.root,
      db: core.db,
      pluginType: params.type,
      pluginName: params.name,
      environment: env,
      processEnv: core.env,
      projectReadonly: await projectReadonlyNow(core),
    };
  };

  fastify.put(
    '/plugins/:type/:name/settings/:setting',
    {
      config: { access: 'edit-settings' },
      bodyLimit: 256 * 1024,
      schema: {
        tags: ['plugins'],
        summary:
          'Set one setting where Meltano would write it (secrets to .env; the system DB if project_readonly)',
        params: SettingParams,
        querystring: EnvironmentQuery,
        headers: IfMatch,
        body: Type.Object({ value: Type.Unknown() }, { additionalProperties: false, required: ['value'] }),
        response: { 200: SettingWritten, ...errorResponses(400, 404, 409, 499, 503, 507) },
      },
    },
    async (request) => {
      const written = await setPluginSetting({
        ...(await target(request.params, request.query.environment)),
        setting: request.params.setting,
        value: request.body.value,
        ...ifMatchOptions(request.headers),
      });
      request.audit({ setting: written.setting, store: written.store });
      request.log.info(
        { event: 'setting_set', plugin: request.params.name, setting: written.setting, store: written.store },
        'setting changed',
      );
      // The notice names the file and its old mode, never a value.
      for (const notice of written.notices) request.log.warn({ event: 'dotenv_mode_tightened' }, notice);
      return {
        setting: written.setting,
        store: written.store,
        file: relative(written.file),
        env_var: written.env_var,
        resolved: settingView(written.resolved),
        notices: written.notices,
      };
    },
  );

  fastify.delete(
    '/plugins/:type/:name/settings/:setting',
    {
      config: { access: 'edit-settings' },
      schema: {
        tags: ['plugins'],
        summary: 'Unset one setting: removed from every store that holds it (as `meltano config unset`)',
        params: SettingParams,
        querystring: EnvironmentQuery,
        headers: IfMatch,
        response: { 200: SettingWritten, ...errorResponses(400, 404, 409, 499, 503, 507) },
      },
    },
    async (request) => {
      const unset = await unsetPluginSetting({
        ...(await target(request.params, request.query.environment)),
        setting: request.params.setting,
        ...ifMatchOptions(request.headers),
      });
      request.audit({ setting: unset.setting, removed_from: unset.removed.map((r) => r.store) });
      request.log.info(
        { event: 'setting_unset', plugin: request.params.name, setting: unset.setting },
        'setting unset',
      );
      return {
        setting: unset.setting,
        store: null,
        file: null,
        env_var: null,
        removed_from: unset.removed.map((r) => r.store),
        resolved: settingView(unset.resolved),
        notices: [],
      };
    },
  );
};
