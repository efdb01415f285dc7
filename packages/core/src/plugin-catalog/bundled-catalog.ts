import { ADDABLE_PLUGIN_TYPES, type AddablePluginType } from '../project/project.types.js';
import type { BundledPlugin } from './bundled/bundled.types.js';
import { APP_EXTRACTORS } from './bundled/extractors-apps.js';
import { DATA_EXTRACTORS } from './bundled/extractors-data.js';
import { LOADERS } from './bundled/loaders.js';
import { FILES, MAPPERS, ORCHESTRATORS, TRANSFORMERS, UTILITIES } from './bundled/tools.js';
import type { CatalogEntry, PluginDefinition } from './catalog.types.js';

/** The catalog shipped with the UI, used when Meltano Hub cannot be reached. */
const BUNDLED: Record<AddablePluginType, BundledPlugin[]> = {
  extractors: [...APP_EXTRACTORS, ...DATA_EXTRACTORS],
  loaders: LOADERS,
  transforms: [],
  orchestrators: ORCHESTRATORS,
  transformers: TRANSFORMERS,
  files: FILES,
  utilities: UTILITIES,
  mappers: MAPPERS,
};

/** The plugin's page on Meltano Hub, which is also what `docs` points at in its definition. */
export function hubDocsUrl(type: string, name: string, variant: string): string {
  return `https://hub.meltano.com/${type}/${name}--${variant}`;
}

export function bundledPlugin(type: AddablePluginType, name: string): BundledPlugin | undefined {
  return BUNDLED[type].find((plugin) => plugin.name === name);
}

function entry(type: AddablePluginType, plugin: BundledPlugin): CatalogEntry {
  return {
    type,
    name: plugin.name,
    label: plugin.label,
    description: plugin.description,
    logo_url: null,
    default_variant: plugin.variants[0]?.variant ?? '',
    variants: plugin.variants.map((variant, index) => ({
      name: variant.variant,
      default: index === 0,
      deprecated: variant.deprecated === true,
      docs: hubDocsUrl(type, plugin.name, variant.variant),
    })),
  };
}

export function bundledEntries(): Record<AddablePluginType, CatalogEntry[]> {
  const out = {} as Record<AddablePluginType, CatalogEntry[]>;
  for (const type of ADDABLE_PLUGIN_TYPES) {
    out[type] = BUNDLED[type]
      .map((plugin) => entry(type, plugin))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  return out;
}

/** One variant's definition (the default one when `variant` is not given), or null when not bundled. */
export function bundledDefinition(
  type: AddablePluginType,
  name: string,
  variant?: string,
): PluginDefinition | null {
  const plugin = bundledPlugin(type, name);
  const found = plugin?.variants.find((v) => variant === undefined || v.variant === variant);
  if (!plugin || !found) return null;
  const docs = hubDocsUrl(type, name, found.variant);
  const raw: Record<string, unknown> = {
    name,
    namespace: plugin.namespace,
    variant: found.variant,
    label: plugin.label,
    description: plugin.description,
    docs,
    pip_url: found.pip_url,
    ...(found.executable ? { executable: found.executable } : {}),
    ...(found.capabilities.length > 0 ? { capabilities: found.capabilities } : {}),
    ...(found.settings.length > 0 ? { settings: found.settings } : {}),
  };
  return {
    type,
    name,
    variant: found.variant,
    namespace: plugin.namespace,
    label: plugin.label,
    description: plugin.description,
    logo_url: null,
    docs,
    pip_url: found.pip_url,
    executable: found.executable ?? null,
    capabilities: found.capabilities,
    settings: found.settings,
    raw,
  };
}
