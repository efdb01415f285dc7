import { ADDABLE_PLUGIN_TYPES, type AddablePluginType } from '../project/project.types.js';
import { asList, asRecord, isRecord, optString } from '../project/raw-values.js';
import { bundledPlugin, hubDocsUrl } from './bundled-catalog.js';
import type { CatalogEntry, CatalogSetting, PluginDefinition } from './catalog.types.js';

/**
 * Readers of Meltano Hub's answers. `GET <api>/plugins/index` is
 * `{<type>: {<name>: {default_variant, logo_url, variants: {<variant>: {ref}}}}}`; it names plugins but has
 * no labels or descriptions, which come from the bundled catalog where it knows the plugin.
 */
export function parseHubIndex(body: unknown): Record<AddablePluginType, CatalogEntry[]> | null {
  if (!isRecord(body)) return null;
  const out = {} as Record<AddablePluginType, CatalogEntry[]>;
  let known = 0;
  for (const type of ADDABLE_PLUGIN_TYPES) {
    const plugins = asRecord(body[type]);
    if (isRecord(body[type])) known++;
    out[type] = Object.entries(plugins)
      .map(([name, value]) => indexEntry(type, name, value))
      .filter((entry): entry is CatalogEntry => entry !== null)
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  return known > 0 ? out : null;
}

function indexEntry(type: AddablePluginType, name: string, value: unknown): CatalogEntry | null {
  if (!isRecord(value)) return null;
  const variantNames = Object.keys(asRecord(value.variants));
  const defaultVariant = optString(value.default_variant) ?? variantNames[0];
  if (!defaultVariant) return null;
  const ordered = [defaultVariant, ...variantNames.filter((v) => v !== defaultVariant)];
  const bundled = bundledPlugin(type, name);
  return {
    type,
    name,
    label: bundled?.label ?? null,
    description: bundled?.description ?? null,
    logo_url: optString(value.logo_url),
    default_variant: defaultVariant,
    variants: ordered.map((variant) => ({
      name: variant,
      default: variant === defaultVariant,
      deprecated: bundled?.variants.find((v) => v.variant === variant)?.deprecated === true,
      docs: hubDocsUrl(type, name, variant),
    })),
  };
}

function parseSetting(value: unknown): CatalogSetting | null {
  if (!isRecord(value) || typeof value.name !== 'string') return null;
  const setting: CatalogSetting = { name: value.name };
  for (const key of ['kind', 'label', 'description'] as const) {
    const text = optString(value[key]);
    if (text !== null) setting[key] = text;
  }
  if (value.sensitive === true) setting.sensitive = true;
  if (value.value !== undefined) setting.value = value.value;
  const options = asList(value.options).filter(isRecord);
  if (options.length > 0) {
    setting.options = options.map((o) => ({
      label: optString(o.label) ?? String(o.value),
      value: String(o.value),
    }));
  }
  return setting;
}

/** `GET <api>/plugins/<type>/<name>--<variant>`: one variant's full definition, kept whole in `raw`. */
export function parseHubDefinition(
  type: AddablePluginType,
  name: string,
  variant: string,
  body: unknown,
): PluginDefinition | null {
  if (!isRecord(body) || (body.name !== undefined && body.name !== name)) return null;
  const actualVariant = optString(body.variant) ?? variant;
  return {
    type,
    name,
    variant: actualVariant,
    namespace: optString(body.namespace) ?? name.replaceAll('-', '_'),
    label: optString(body.label),
    description: optString(body.description),
    logo_url: optString(body.logo_url),
    docs: optString(body.docs) ?? hubDocsUrl(type, name, actualVariant),
    pip_url: optString(body.pip_url),
    executable: optString(body.executable),
    capabilities: asList(body.capabilities).filter((c): c is string => typeof c === 'string'),
    settings: asList(body.settings)
      .map(parseSetting)
      .filter((s): s is CatalogSetting => s !== null),
    raw: { ...body, name, variant: actualVariant },
  };
}
