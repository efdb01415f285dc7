import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ADDABLE_PLUGIN_TYPES,
  type AddablePluginType,
  addPlugin,
  CoreError,
  createPluginInstaller,
  InvalidInputError,
  type Project,
  type ProjectPlugin,
} from '@meltano-ui/core';
import { Type } from 'typebox';
import { loadedProject, reloadProject } from '../load-project.js';
import { hubClient } from '../plugin-writes.js';
import { findPlugin } from '../project.js';
import { oldErrors } from './old-errors.js';
import { OLD_UI_TAG } from './tag.js';

/** The keys of the old `/plugins/all` and `/plugins/installed` answers (Meltano 2.20). */
const OLD_TYPES = [
  'extractors',
  'loaders',
  'transforms',
  'orchestrators',
  'transformers',
  'files',
  'utilities',
  'mappers',
  'mappings',
] as const;

const PluginRef = Type.Object({
  plugin_type: Type.String({ minLength: 1, maxLength: 100 }),
  name: Type.String({ minLength: 1, maxLength: 300 }),
});
const AddBody = Type.Object({
  plugin_type: Type.String({ minLength: 1, maxLength: 100 }),
  name: Type.String({ minLength: 1, maxLength: 300 }),
  variant: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});
const Loose = Type.Object({}, { additionalProperties: true });
const ByType = Type.Record(Type.String(), Type.Array(Loose));
const CanonicalEntry = Type.Object(
  { name: Type.String() },
  { additionalProperties: true, description: "The plugin's canonical meltano.yml entry" },
);

function addableType(type: string): AddablePluginType {
  if (!(ADDABLE_PLUGIN_TYPES as readonly string[]).includes(type)) {
    throw new InvalidInputError(`'${type}' is not a plugin type (${ADDABLE_PLUGIN_TYPES.join(', ')})`);
  }
  return type as AddablePluginType;
}

const emptyByType = () => Object.fromEntries(OLD_TYPES.map((t) => [t, [] as Record<string, unknown>[]]));

/** The entry `meltano add` writes, without empty fields (as Meltano's canonical form). */
function canonical(plugin: ProjectPlugin): { name: string } & Record<string, unknown> {
  const entry: { name: string } & Record<string, unknown> = { name: plugin.name };
  if (plugin.inherit_from) entry.inherit_from = plugin.inherit_from;
  if (plugin.variant) entry.variant = plugin.variant;
  if (plugin.pip_url) entry.pip_url = plugin.pip_url;
  return entry;
}

function installedItem(plugin: ProjectPlugin): Record<string, unknown> {
  const item: Record<string, unknown> = { name: plugin.name };
  const fields = {
    namespace: plugin.namespace,
    label: plugin.label,
    logo_url: plugin.logo_url,
    description: plugin.description,
    variant: plugin.variant,
    docs: plugin.docs,
  };
  for (const [key, value] of Object.entries(fields)) if (value) item[key] = value;
  return item;
}

async function freshPlugin(project: Project, type: string, name: string) {
  return findPlugin(project, type, name);
}

/** The old `plugins` blueprint: the catalog, the project's plugins, adding and installing. */
export const compatPluginRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;
  const installer = createPluginInstaller(core);

  fastify.get(
    '/plugins/all',
    {
      config: { access: 'read' },
      schema: {
        tags: [OLD_UI_TAG],
        summary: 'Discoverable plugins by type (Meltano Hub, or the bundled catalog offline)',
        response: { 200: ByType, ...oldErrors(401) },
      },
    },
    async () => {
      const catalog = await (await hubClient(fastify)).catalog();
      const out = emptyByType();
      for (const [type, entries] of Object.entries(catalog.plugins)) {
        out[type] = entries.map((e) => ({
          name: e.name,
          namespace: e.name.replaceAll('-', '_'),
          hidden: false,
          label: e.label,
          logo_url: e.logo_url,
          description: e.description,
          variants: e.variants.map((v) => ({ name: v.name, default: v.default, deprecated: v.deprecated })),
        }));
      }
      return out;
    },
  );

  fastify.get(
    '/plugins/installed',
    {
      config: { access: 'read' },
      schema: {
        tags: [OLD_UI_TAG],
        summary: "The project's plugins by type",
        response: { 200: ByType, ...oldErrors(401, 503) },
      },
    },
    async () => {
      const project = await loadedProject(fastify);
      const out = emptyByType();
      for (const plugin of project.plugins) {
        out[plugin.type] = [...(out[plugin.type] ?? []), installedItem(plugin)];
      }
      return out;
    },
  );

  fastify.post(
    '/plugins/add',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: [OLD_UI_TAG],
        summary: 'Add a discoverable plugin to meltano.yml (nothing is installed); 200 with its entry',
        body: AddBody,
        response: { 200: CanonicalEntry, ...oldErrors(400, 401, 403, 404, 409, 499, 503, 507) },
      },
    },
    async (request) => {
      const { plugin_type, name, variant } = request.body;
      const type = addableType(plugin_type);
      const lookup = await (await hubClient(fastify)).definition(type, name, variant);
      await addPlugin(
        core.root,
        { type, name, ...(variant ? { variant } : {}) },
        { definition: lookup.definition },
      );
      await reloadProject(fastify);
      const project = await loadedProject(fastify, { fresh: true });
      return canonical(await freshPlugin(project, type, name));
    },
  );

  fastify.post(
    '/plugins/install/batch',
    {
      config: { access: 'edit-project' },
      schema: {
        tags: [OLD_UI_TAG],
        summary:
          "Add and install the plugin's required plugins; 200 with their entries (none here: see the README)",
        body: PluginRef,
        response: { 200: Type.Array(CanonicalEntry), ...oldErrors(400, 401, 403, 404, 499, 502, 503) },
      },
    },
    async (request) => {
      const project = await loadedProject(fastify, { fresh: true });
      findPlugin(project, request.body.plugin_type, request.body.name);
      // Meltano 2.20 added and installed only the plugins listed under `requires:` that the project
      // lacked; the hub definitions this server reads carry no `requires:`, so there is never one.
      return [];
    },
  );

  fastify.post(
    '/plugins/install',
    {
      config: { access: 'operate' },
      schema: {
        tags: [OLD_UI_TAG],
        summary: 'Install a project plugin with the Meltano CLI and wait for it; 502 when the install fails',
        body: PluginRef,
        response: { 200: CanonicalEntry, ...oldErrors(400, 401, 403, 404, 409, 499, 502, 503) },
      },
    },
    async (request) => {
      const { plugin_type, name } = request.body;
      const project = await loadedProject(fastify, { fresh: true });
      const plugin = findPlugin(project, plugin_type, name);
      let install = await installer.start(plugin_type, name);
      // The old route answered once pip had finished; so does this one (the install runs in the executor).
      while (install.status === 'running') {
        await sleep(200);
        install = await installer.get(install.id);
      }
      if (install.status !== 'success') {
        throw new CoreError(
          'install_failed',
          502,
          `Could not install the ${plugin_type.replace(/s$/, '')} '${name}' (exit code ${install.exit_code ?? 'none'}).`,
        );
      }
      return canonical(plugin);
    },
  );
};
