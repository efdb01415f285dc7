import type { CatalogPlugin } from '../../../lib/api-types';

/** Every word of the query appears in the name, label, description or a variant (case ignored). */
export function matchesSearch(plugin: CatalogPlugin, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [
    plugin.name,
    plugin.label ?? '',
    plugin.description ?? '',
    ...plugin.variants.map((v) => v.name),
  ]
    .join(' ')
    .toLowerCase();
  return words.every((w) => haystack.includes(w));
}

/** The variants in the order the picker lists them: the default first, deprecated ones last. */
export function orderedVariants(plugin: CatalogPlugin): CatalogPlugin['variants'] {
  const rank = (v: CatalogPlugin['variants'][number]) =>
    v.name === plugin.default_variant || v.default ? 0 : v.deprecated ? 2 : 1;
  return [...plugin.variants].sort((a, b) => rank(a) - rank(b));
}

/** "meltanolabs (default)", "transferwise (deprecated)". */
export function variantLabel(plugin: CatalogPlugin, variant: CatalogPlugin['variants'][number]): string {
  const notes = [
    variant.name === plugin.default_variant || variant.default ? 'default' : null,
    variant.deprecated ? 'deprecated' : null,
  ].filter(Boolean);
  return notes.length > 0 ? `${variant.name} (${notes.join(', ')})` : variant.name;
}
