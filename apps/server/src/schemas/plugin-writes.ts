import { Type } from 'typebox';
import { Nullable, StringEnum, Timestamp } from './common.js';

export const PluginTypeName = Type.Object({
  type: Type.String({ minLength: 1, maxLength: 100 }),
  name: Type.String({ minLength: 1, maxLength: 300 }),
});

const CatalogVariant = Type.Object({
  name: Type.String(),
  default: Type.Boolean(),
  deprecated: Type.Boolean(),
  docs: Type.String(),
});

const CatalogEntry = Type.Object({
  type: Type.String(),
  name: Type.String(),
  label: Nullable(Type.String()),
  description: Nullable(Type.String()),
  logo_url: Nullable(Type.String()),
  default_variant: Type.String(),
  variants: Type.Array(CatalogVariant),
});

export const PluginCatalog = Type.Object({
  source: StringEnum(['hub', 'offline'], {
    description: '`offline`: Meltano Hub could not be reached; this is the catalog bundled with the UI',
  }),
  hub_api_url: Type.String(),
  error: Nullable(Type.String({ description: 'Why the hub was not used' })),
  fetched_at: Timestamp,
  plugins: Type.Record(Type.String(), Type.Array(CatalogEntry)),
});

const CatalogSetting = Type.Object({
  name: Type.String(),
  kind: Type.Optional(Type.String()),
  label: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  sensitive: Type.Optional(Type.Boolean()),
  value: Type.Optional(Type.Unknown()),
  options: Type.Optional(Type.Array(Type.Object({ label: Type.String(), value: Type.String() }))),
});

export const PluginDefinition = Type.Object({
  source: StringEnum(['hub', 'offline']),
  type: Type.String(),
  name: Type.String(),
  variant: Type.String(),
  namespace: Type.String(),
  label: Nullable(Type.String()),
  description: Nullable(Type.String()),
  logo_url: Nullable(Type.String()),
  docs: Type.String(),
  pip_url: Nullable(Type.String()),
  executable: Nullable(Type.String()),
  capabilities: Type.Array(Type.String()),
  settings: Type.Array(CatalogSetting),
});

const Identifier = Type.String({ minLength: 1, maxLength: 200 });

export const AddPluginBody = Type.Object(
  {
    type: Identifier,
    name: Identifier,
    variant: Type.Optional(Identifier),
    inherit_from: Type.Optional(Identifier),
    custom: Type.Optional(
      Type.Boolean({
        description: 'Not from the catalog (`meltano add --custom`): give namespace, pip_url, executable',
      }),
    ),
    namespace: Type.Optional(Identifier),
    pip_url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    executable: Type.Optional(Identifier),
    capabilities: Type.Optional(Type.Array(Identifier, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const PluginWritten = Type.Object({
  type: Type.String(),
  name: Type.String(),
  version: Nullable(Type.String()),
  source_file: Type.String({ description: 'Relative to the project root' }),
  lock_file: Type.Optional(Nullable(Type.String())),
  lock_files_removed: Type.Optional(Type.Array(Type.String())),
  definition_source: Type.Optional(Nullable(StringEnum(['hub', 'offline']))),
});

export const Install = Type.Object(
  {
    id: Type.String(),
    plugin_type: Type.String(),
    plugin_name: Type.String(),
    argv: Type.Array(Type.String()),
    status: StringEnum(['running', 'success', 'failed']),
    exit_code: Nullable(Type.Integer()),
    signal: Nullable(Type.String()),
    error: Nullable(Type.String()),
    created_at: Type.String(),
    ended_at: Nullable(Type.String()),
  },
  { $id: 'Install' },
);
