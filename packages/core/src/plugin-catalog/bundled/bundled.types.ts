import type { CatalogSetting } from '../catalog.types.js';

/**
 * The offline catalog's own compact shape. Written for this UI as a starting point when Meltano Hub cannot
 * be reached; the hub stays the authority for versions, pip URLs and settings.
 */
export interface BundledVariant {
  variant: string;
  pip_url: string;
  executable?: string;
  capabilities: string[];
  deprecated?: boolean;
  settings: CatalogSetting[];
}

export interface BundledPlugin {
  name: string;
  namespace: string;
  label: string;
  description: string;
  /** The first one is the default variant. */
  variants: BundledVariant[];
}

type Setting = (name: string, label: string, description: string) => CatalogSetting;

export const text: Setting = (name, label, description) => ({ name, kind: 'string', label, description });
export const secret: Setting = (name, label, description) => ({
  name,
  kind: 'string',
  label,
  description,
  sensitive: true,
});
export const integer: Setting = (name, label, description) => ({ name, kind: 'integer', label, description });
export const flag: Setting = (name, label, description) => ({ name, kind: 'boolean', label, description });
export const date: Setting = (name, label, description) => ({
  name,
  kind: 'date_iso8601',
  label,
  description,
});
export const list: Setting = (name, label, description) => ({ name, kind: 'array', label, description });
export const object: Setting = (name, label, description) => ({ name, kind: 'object', label, description });
export const file: Setting = (name, label, description) => ({ name, kind: 'file', label, description });

export function choice(name: string, label: string, description: string, values: string[]): CatalogSetting {
  return {
    name,
    kind: 'options',
    label,
    description,
    options: values.map((value) => ({ label: value, value })),
  };
}

/** Capabilities of a Singer SDK tap and target, the most common sets. */
export const SDK_TAP = ['about', 'catalog', 'discover', 'state', 'stream-maps', 'schema-flattening'];
export const SDK_TARGET = ['about', 'stream-maps', 'schema-flattening'];
export const LEGACY_TAP = ['catalog', 'discover', 'state'];
