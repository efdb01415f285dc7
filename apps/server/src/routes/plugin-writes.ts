import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ADDABLE_PLUGIN_TYPES,
  type AddablePluginType,
  addPlugin,
  createPluginInstaller,
  InvalidInputError,
  removePlugin,
  resolveHubEndpoint,
  sharedHubClient,
} from '@meltano-ui/core';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, StringEnum } from '../schemas/common.js';
import {
  AddPluginBody,
  PluginCatalog,
  PluginDefinition,
  PluginTypeName,
  PluginWritten,
} from '../schemas/plugin-writes.js';
import { IfMatch, ifMatchOptions } from './if-match.js';
import { reloadProject } from './load-project.js';
import { shownCommand } from './shown-path.js';

function addableType(type: string): AddablePluginType {
  if (!(ADDABLE_PLUGIN_TYPES as readonly string[]).includes(type)) {
    throw new InvalidInputError(`'${type}' is not a plugin type (${ADDABLE_PLUGIN_TYPES.join(', ')})`, {
      field: 'type',
    });
  }
  return type as AddablePluginType;
}

/** The hub of this project's `hub_url` settings (the bundled catalog when it cannot be reached). */
export async function hubClient(fastify: FastifyInstance) {
  const snapshot = await fastify.core.projectStore.get();
  return sharedHubClient(resolveHubEndpoint(snapshot.ok ? snapshot.project : null, fastify.core.env));
}

/** The catalog, adding and removing plugins in meltano.yml. */
export const pluginWriteRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;
  const relative = (file: string) => path.relative(core.root, path.resolve(core.root, file));

  fastify.get(
    '/plugins/catalog',
    {
      config: { access: 'read' },
      schema: {
        tags: ['plugins'],
        summary: 'Discoverable plugins by type, from Meltano Hub, or the bundled catalog when it is offline',
        response: { 200: PluginCatalog },
      },
    },
    async () => (await hubClient(fastify)).catalog(),
  );

  fastify.get(
    '/plugins/catalog/:type/:name',
    {
      config: { access: 'read' },
      schema: {
        tags: ['plugins'],
        summary: "A discoverable plugin's definition (settings, pip_url…) for a variant (default: the hub's)",
        params: PluginTypeName,
        querystring: Type.Object({ variant: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        response: { 200: PluginDefinition, ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const { type, name } = request.params;
      const found = await (await hubClient(fastify)).definition(
        addableType(type),
        name,
        request.query.variant,
      );
      const { raw: _raw, ...definition } = found.definition;
      return { source: found.source, ...definition };
    },
  );

  fastify.post(
    '/plugins',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: ['plugins'],
        summary:
          'Add a plugin to meltano.yml: from the catalog (its variant and pip_url, lock file written), ' +
          'inheriting from another, or custom',
        body: AddPluginBody,
        response: { 201: PluginWritten, ...errorResponses(400, 404, 409, 499, 503, 507) },
      },
    },
    async (request, reply) => {
      const { custom, ...input } = request.body;
      const type = addableType(input.type);
      const lookup =
        custom || input.inherit_from !== undefined
          ? null
          : await (await hubClient(fastify)).definition(type, input.name, input.variant);
      const result = await addPlugin(core.root, input, lookup ? { definition: lookup.definition } : {});
      await reloadProject(fastify);
      return reply.status(201).send({
        ...result,
        source_file: relative(result.source_file),
        lock_file: result.lock_file === null ? null : relative(result.lock_file),
        definition_source: lookup?.source ?? null,
      });
    },
  );

  fastify.delete(
    '/plugins/:type/:name',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: ['plugins'],
        summary:
          'Remove a plugin from the file it is defined in (409 naming what uses it, unless `force`); ' +
          'its lock file goes too',
        params: PluginTypeName,
        headers: IfMatch,
        querystring: Type.Object({ force: Type.Optional(Type.Boolean()) }),
        response: { 200: PluginWritten, ...errorResponses(400, 404, 409, 499, 503, 507) },
      },
    },
    async (request) => {
      const { type, name } = request.params;
      const result = await removePlugin(core.root, type, name, {
        ...ifMatchOptions(request.headers),
        ...(request.query.force ? { force: true } : {}),
      });
      await reloadProject(fastify);
      return {
        ...result,
        source_file: relative(result.source_file),
        lock_files_removed: result.lock_files_removed.map(relative),
      };
    },
  );
};

/** `meltano install <type> <name>` through the executor, with its output readable while it runs. */
export const pluginInstallRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const installer = createPluginInstaller(fastify.core);
  const InstallParams = Type.Object({ install: Type.String({ format: 'uuid' }) });

  fastify.post(
    '/plugins/:type/:name/install',
    {
      config: { access: 'operate' },
      schema: {
        tags: ['plugins'],
        summary: 'Install a plugin with the Meltano CLI (202; 409 while an install of it runs)',
        params: PluginTypeName,
        response: { 202: Type.Ref('Install'), ...errorResponses(400, 404, 409, 499, 503) },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(shownCommand(request, await installer.start(request.params.type, request.params.name))),
  );

  fastify.get(
    '/installs/:install',
    {
      config: { access: 'read' },
      schema: {
        tags: ['plugins'],
        summary: 'An install: command, status, exit code',
        params: InstallParams,
        response: { 200: Type.Ref('Install'), ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => shownCommand(request, await installer.get(request.params.install)),
  );

  fastify.get(
    '/installs/:install/output',
    {
      config: { access: 'read' },
      schema: {
        tags: ['plugins'],
        summary: 'What the install printed from a byte offset on (poll with the returned offset + length)',
        params: InstallParams,
        querystring: Type.Object({ offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })) }),
        response: {
          200: Type.Object({
            status: StringEnum(['running', 'success', 'failed']),
            offset: Type.Integer(),
            length: Type.Integer(),
            size: Type.Integer(),
            text: Type.String(),
            eof: Type.Boolean(),
          }),
          ...errorResponses(400, 404, 503),
        },
      },
    },
    async (request) => installer.output(request.params.install, request.query.offset ?? 0),
  );
};
