import type { AddablePluginType } from '../project/project.types.js';

/** One setting of a plugin definition, with the fields the configuration form needs. */
export interface CatalogSetting {
  name: string;
  kind?: string;
  label?: string;
  description?: string;
  sensitive?: boolean;
  /** The default value. */
  value?: unknown;
  options?: { label: string; value: string }[];
}

/**
 * The full definition of one variant of a discoverable plugin, as Meltano Hub serves it from
 * `/plugins/<type>/<name>--<variant>` and Meltano locks it in `plugins/<type>/<name>--<variant>.lock`.
 */
export interface PluginDefinition {
  type: AddablePluginType;
  name: string;
  variant: string;
  namespace: string;
  label: string | null;
  description: string | null;
  logo_url: string | null;
  docs: string;
  pip_url: string | null;
  executable: string | null;
  capabilities: string[];
  settings: CatalogSetting[];
  /** The definition as received (keys this UI does not model included): what the lock file holds. */
  raw: Record<string, unknown>;
}

export interface CatalogVariant {
  name: string;
  default: boolean;
  deprecated: boolean;
  docs: string;
}

/** A discoverable plugin as the "add a plugin" list shows it. */
export interface CatalogEntry {
  type: AddablePluginType;
  name: string;
  label: string | null;
  description: string | null;
  logo_url: string | null;
  default_variant: string;
  variants: CatalogVariant[];
}

export interface PluginCatalog {
  /** `hub`: Meltano Hub answered; `offline`: the hub could not be reached, this is the bundled catalog. */
  source: 'hub' | 'offline';
  hub_api_url: string;
  /** Why the hub was not used (offline only). */
  error: string | null;
  fetched_at: string;
  plugins: Record<AddablePluginType, CatalogEntry[]>;
}

/** A definition and where it came from. */
export interface DefinitionLookup {
  source: 'hub' | 'offline';
  definition: PluginDefinition;
}
