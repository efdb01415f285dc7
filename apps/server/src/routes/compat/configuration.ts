import { constants as fsConstants } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  InvalidInputError,
  type Project,
  type ProjectPlugin,
  pluginSettingsView,
  REDACTED,
  type ResolvedPluginSetting,
  resolveInsideRoot,
  setPluginSetting,
  testExtractorConnection,
  unsetPluginSetting,
} from '@meltano-ui/core';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { projectReadonlyNow } from '../../plugins/app/access-control.js';
import { loadedProject } from '../load-project.js';
import { findPlugin } from '../project.js';
import { OldAnswer, oldErrors } from './old-errors.js';
import { OLD_UI_TAG } from './tag.js';

const MAX_UPLOAD_BYTES = 4_194_304;
const PluginParams = Type.Object({
  plugin_type: Type.String({ minLength: 1, maxLength: 100 }),
  plugin_name: Type.String({ minLength: 1, maxLength: 300 }),
});
const ConfigMap = Type.Record(Type.String(), Type.Unknown());
const Configuration = Type.Object(
  {
    config: ConfigMap,
    config_metadata: Type.Record(Type.String(), Type.Object({}, { additionalProperties: true })),
    settings: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
    settings_group_validation: Type.Optional(Type.Array(Type.Array(Type.String()))),
  },
  { additionalProperties: true },
);

const SOURCE_LABELS: Record<string, string> = {
  config_override: 'a command line flag',
  env: 'the environment',
  dotenv: '`.env`',
  meltano_environment: 'the active environment in `meltano.yml`',
  meltano_yml: '`meltano.yml`',
  db: 'the system database',
  inherited: 'inherited',
  default: 'the default',
};

/** Extras (`_select`, `_metadata`…) and hidden settings are not shown, as in the old UI. */
const shown = (s: ResolvedPluginSetting) => !s.name.startsWith('_') && !s.definition.hidden;

/** A definition as Meltano's `canonical()`: only its non-empty attributes. */
function canonicalDefinition(s: ResolvedPluginSetting): Record<string, unknown> {
  const d = s.definition;
  const fields: Record<string, unknown> = {
    name: d.name,
    aliases: d.aliases,
    label: d.label,
    value: d.value,
    options: d.options,
    kind: d.kind,
    description: d.description,
    hidden: d.hidden,
    sensitive: d.sensitive,
    env: d.env,
  };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    const empty =
      value === null ||
      value === undefined ||
      value === '' ||
      value === false ||
      (Array.isArray(value) && value.length === 0);
    if (!empty) out[key] = value;
  }
  return out;
}

function metadata(s: ResolvedPluginSetting): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    name: s.name,
    source: s.source,
    source_label: SOURCE_LABELS[s.source] ?? s.source,
    auto_store: s.auto_store,
    auto_store_label: s.auto_store === null ? null : (SOURCE_LABELS[s.auto_store] ?? s.auto_store),
    overwritable: s.overwritable,
  };
  if (s.redacted) meta.redacted = true;
  if (s.env_var !== null) meta.env_var = s.env_var;
  if (s.expanded) meta.expanded = true;
  return meta;
}

async function settingsOf(fastify: FastifyInstance, project: Project, plugin: ProjectPlugin) {
  // The old UI never activated an environment: it read and wrote the project's root settings.
  const view = await pluginSettingsView(project, plugin, {
    db: fastify.core.db,
    environment: null,
    processEnv: fastify.core.env,
  });
  return view.settings.filter(shown);
}

function configAnswer(settings: ResolvedPluginSetting[]) {
  const config: Record<string, unknown> = {};
  const config_metadata: Record<string, Record<string, unknown>> = {};
  for (const s of settings) {
    config[s.name] = s.value ?? null;
    config_metadata[s.name] = metadata(s);
  }
  return { config, config_metadata };
}

/** A file setting's value must stay under `extract/<plugin>/`, as the old UI required. */
function fileValueAllowed(root: string, plugin: string, value: unknown): boolean {
  if (typeof value !== 'string' || value === '') return true;
  const base = path.resolve(root, 'extract', plugin);
  const target = path.resolve(root, value);
  return target.startsWith(`${base}${path.sep}`);
}

/** Werkzeug's secure_filename: ASCII, path separators to spaces, whitespace to `_`, only [A-Za-z0-9_.-]. */
export function secureFilename(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[^\p{ASCII}]/gu, '');
  return ascii
    .replace(/[/\\]/g, ' ')
    .trim()
    .split(/\s+/)
    .join('_')
    .replace(/[^A-Za-z0-9_.-]/g, '')
    .replace(/^[._]+|[._]+$/g, '');
}

async function uploadDir(root: string, plugin: string, tmp: boolean, settingName: string) {
  const setting = secureFilename(settingName);
  if (setting === '') throw new OldAnswer(400, { error: true, code: 'The file lacks a valid name.' });
  const relative = path.join('extract', secureFilename(plugin) || 'plugin', ...(tmp ? ['tmp'] : []), setting);
  // resolveInsideRoot refuses a symlinked folder leading out of the project: before mkdir (which would
  // follow it and create folders out there) and after (a link swapped in meanwhile).
  await resolveInsideRoot(root, relative);
  await mkdir(path.join(root, relative), { recursive: true });
  await resolveInsideRoot(root, relative);
  return relative;
}

/** The old plugin-configuration routes, on core's settings resolver and writers. */
export const compatConfigurationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;
  await fastify.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES + 1, files: 1, fields: 10 } });
  const base = '/orchestrations/:plugin_type/:plugin_name/configuration';

  fastify.get(
    base,
    {
      config: { access: 'read' },
      schema: {
        tags: [OLD_UI_TAG],
        summary: "A plugin's settings: values (secrets `(redacted)`), where each comes from, definitions",
        params: PluginParams,
        response: { 200: Configuration, ...oldErrors(401, 404, 503) },
      },
    },
    async (request) => {
      const project = await loadedProject(fastify, { fresh: true });
      const plugin = findPlugin(project, request.params.plugin_type, request.params.plugin_name);
      const settings = await settingsOf(fastify, project, plugin);
      return {
        ...configAnswer(settings),
        settings: settings.filter((s) => !s.custom).map(canonicalDefinition),
        settings_group_validation: [],
      };
    },
  );

  fastify.put(
    base,
    {
      config: { access: 'edit-settings' },
      bodyLimit: 256 * 1024,
      schema: {
        tags: [OLD_UI_TAG],
        summary:
          "Set settings where Meltano would write them ('' unsets; `(redacted)` and values a higher layer shadows are skipped)",
        params: PluginParams,
        body: Type.Object({ config: ConfigMap }),
        response: { 200: Configuration, ...oldErrors(400, 401, 403, 404, 409, 499, 503, 507) },
      },
    },
    async (request) => {
      const { plugin_type, plugin_name } = request.params;
      const project = await loadedProject(fastify, { fresh: true });
      const plugin = findPlugin(project, plugin_type, plugin_name);
      const before = new Map((await settingsOf(fastify, project, plugin)).map((s) => [s.name, s]));
      const unknown = Object.keys(request.body.config).filter((name) => !before.has(name));
      if (unknown.length > 0) {
        throw new InvalidInputError(
          `Unknown setting(s) of ${plugin_name}: ${unknown.slice(0, 20).join(', ')}`,
        );
      }
      const target = {
        root: core.root,
        db: core.db,
        pluginType: plugin_type,
        pluginName: plugin_name,
        environment: null,
        processEnv: core.env,
        projectReadonly: await projectReadonlyNow(core),
      };
      const written: string[] = [];
      for (const [name, value] of Object.entries(request.body.config)) {
        const setting = before.get(name) as ResolvedPluginSetting;
        // Skipped, as the old UI did: an untouched secret, a value a higher layer would shadow, a file
        // outside the plugin's upload folder.
        if (value === REDACTED || !setting.overwritable || setting.locked !== null) continue;
        if (setting.definition.kind === 'file' && !fileValueAllowed(core.root, plugin_name, value)) continue;
        if (value === '' || value === null) {
          if (setting.is_set) await unsetPluginSetting({ ...target, setting: name });
        } else {
          await setPluginSetting({ ...target, setting: name, value });
        }
        written.push(name);
      }
      request.audit({ settings: written });
      const now = await loadedProject(fastify, { fresh: true });
      const after = await settingsOf(fastify, now, findPlugin(now, plugin_type, plugin_name));
      return configAnswer(after);
    },
  );

  fastify.post(
    `${base}/test`,
    {
      config: { access: 'edit-settings' },
      bodyLimit: 256 * 1024,
      schema: {
        tags: [OLD_UI_TAG],
        summary:
          'Run the extractor (with unsaved `config` values over the saved ones) until it emits a RECORD; 200 {is_success}',
        params: PluginParams,
        body: Type.Optional(Type.Object({ config: Type.Optional(ConfigMap) })),
        response: {
          200: Type.Object({ is_success: Type.Boolean() }),
          ...oldErrors(400, 401, 403, 404, 499, 503),
        },
      },
    },
    async (request) => {
      const { plugin_type, plugin_name } = request.params;
      if (plugin_type !== 'extractors') {
        throw new InvalidInputError('Only extractors can be tested.');
      }
      const project = await loadedProject(fastify, { fresh: true });
      const plugin = findPlugin(project, plugin_type, plugin_name);
      const settings = await settingsOf(fastify, project, plugin);
      const overrides: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.body?.config ?? {})) {
        const setting = settings.find((s) => s.name === name);
        if (!setting || value === REDACTED || value === null || value === '') continue;
        const envVar = setting.write_env_vars[0] ?? setting.env_vars[0];
        if (envVar) overrides[envVar] = typeof value === 'string' ? value : JSON.stringify(value);
      }
      return { is_success: await testExtractorConnection(core, plugin_name, { env: overrides }) };
    },
  );

  fastify.post(
    `${base}/upload-file`,
    {
      config: { access: 'edit-settings' },
      schema: {
        tags: [OLD_UI_TAG],
        summary:
          'Upload a JSON file (≤ 4 MiB) for a file setting: multipart `file`, `setting_name`, optional `tmp`',
        params: PluginParams,
        consumes: ['multipart/form-data'],
        response: {
          200: Type.Object({ path: Type.String(), setting_name: Type.String() }),
          ...oldErrors(400, 401, 403, 404, 406, 413, 499, 503, 507),
        },
      },
    },
    async (request) => {
      const { plugin_type, plugin_name } = request.params;
      const project = await loadedProject(fastify, { fresh: true });
      findPlugin(project, plugin_type, plugin_name);
      if (!request.isMultipart()) {
        throw new InvalidInputError('Send the file as multipart/form-data (fields file, setting_name, tmp).');
      }
      let file: { filename: string; data: Buffer } | null = null;
      const fields: Record<string, string> = {};
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          const data = await part.toBuffer().catch((err: unknown) => {
            if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return null;
            throw err;
          });
          if (data === null) {
            throw new OldAnswer(400, {
              error: true,
              code: `The file '${part.filename}' is empty or exceeds the ${MAX_UPLOAD_BYTES} size limit.`,
            });
          }
          file = { filename: part.filename, data };
        } else {
          fields[part.fieldname] = String(part.value ?? '');
        }
      }
      if (file === null) throw new InvalidInputError('The form has no `file`.');
      const settingName = fields.setting_name ?? '';
      const dot = file.filename.lastIndexOf('.');
      if (dot < 0 || file.filename.slice(dot + 1).toLowerCase() !== 'json') {
        throw new OldAnswer(400, {
          error: true,
          code: `The file '${file.filename}' must be one of the following types: JSON`,
        });
      }
      if (file.data.length === 0 || file.data.length > MAX_UPLOAD_BYTES) {
        throw new OldAnswer(400, {
          error: true,
          code: `The file '${file.filename}' is empty or exceeds the ${MAX_UPLOAD_BYTES} size limit.`,
        });
      }
      const name = secureFilename(file.filename);
      if (name === '') throw new OldAnswer(400, { error: true, code: 'The file lacks a valid name.' });
      // As the old form: any non-empty `tmp` counts as true.
      const dir = await uploadDir(core.root, plugin_name, (fields.tmp ?? '') !== '', settingName);
      const relative = path.join(dir, name);
      // O_NOFOLLOW: a symlink planted as the file's name is refused, not written through.
      const { O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW } = fsConstants;
      await writeFile(path.join(core.root, relative), file.data, {
        mode: 0o600,
        flag: O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW,
      }).catch((err: unknown) => {
        if ((err as { code?: string }).code === 'ELOOP') {
          throw new OldAnswer(400, { error: true, code: `The file '${name}' cannot be written there.` });
        }
        throw err;
      });
      request.audit({ setting_name: settingName, path: relative });
      return { path: relative.split(path.sep).join('/'), setting_name: settingName };
    },
  );

  fastify.post(
    `${base}/delete-uploaded-file`,
    {
      config: { access: 'edit-settings' },
      schema: {
        tags: [OLD_UI_TAG],
        summary: "Remove a file setting's upload folder",
        params: PluginParams,
        body: Type.Object({
          setting_name: Type.String({ maxLength: 300 }),
          tmp: Type.Optional(Type.Boolean()),
        }),
        response: {
          200: Type.Object({ setting_name: Type.String() }),
          ...oldErrors(400, 401, 403, 404, 499, 503),
        },
      },
    },
    async (request) => {
      const { plugin_type, plugin_name } = request.params;
      const project = await loadedProject(fastify, { fresh: true });
      findPlugin(project, plugin_type, plugin_name);
      const { setting_name, tmp } = request.body;
      const dir = await uploadDir(core.root, plugin_name, tmp === true, setting_name);
      await rm(path.join(core.root, dir), { recursive: true, force: true });
      request.audit({ setting_name });
      return { setting_name };
    },
  );
};
