/** Plugin types in the order Meltano documents them; `meltano add` accepts these. */
export const ADDABLE_TYPES = [
  'extractors',
  'loaders',
  'utilities',
  'transformers',
  'mappers',
  'orchestrators',
  'transforms',
  'files',
] as const;

const SINGULAR: Record<string, string> = {
  extractors: 'extractor',
  loaders: 'loader',
  utilities: 'utility',
  transformers: 'transformer',
  mappers: 'mapper',
  orchestrators: 'orchestrator',
  transforms: 'transform',
  files: 'file bundle',
  models: 'model',
  dashboards: 'dashboard',
};

export function singular(type: string): string {
  return SINGULAR[type] ?? type;
}

export function isAddable(type: string): boolean {
  return (ADDABLE_TYPES as readonly string[]).includes(type);
}

/** The tabs: every addable type, then any other type the project holds (Meltano 1.x models, typos). */
export function pluginTypeTabs(installed: readonly string[]): string[] {
  return [...ADDABLE_TYPES, ...installed.filter((t) => !isAddable(t)).sort()];
}

/** The letter shown when a plugin has no logo: the first letter of the name after its tap-/target- prefix. */
export function logoLetter(name: string, label: string | null): string {
  const own = label?.trim();
  const base = own && own !== name ? own : name.replace(/^(tap|target|dbt)-/, '');
  return (base.match(/[a-z0-9]/i)?.[0] ?? '?').toUpperCase();
}
