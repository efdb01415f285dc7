/** Just what the task picker needs of a plugin. */
export interface PluginRef {
  name: string;
  commands: readonly string[];
  /** A mapper's mapping names (optional: tests and older servers may leave them out). */
  mappings?: readonly string[];
}

export interface BlockGroup {
  label: string;
  blocks: string[];
}

/** In the order a task usually names them: extractor, mappers, loader, then what runs after. */
const ORDER: readonly [string, string][] = [
  ['extractors', 'Extractors'],
  ['mappers', 'Mappers'],
  ['loaders', 'Loaders'],
  ['transformers', 'Transformers'],
  ['utilities', 'Utilities'],
  ['transforms', 'Transforms'],
  ['orchestrators', 'Orchestrators'],
  ['files', 'Files'],
];

/** Every block a task can name, grouped by plugin type: each plugin, then each of its `name:command`. */
export function blockGroups(plugins: Record<string, readonly PluginRef[]>): BlockGroup[] {
  const known = new Set(ORDER.map(([type]) => type));
  const types = [
    ...ORDER,
    ...Object.keys(plugins)
      .filter((type) => !known.has(type))
      .map((type): [string, string] => [type, type]),
  ];
  return types
    .map(([type, label]) => ({
      label,
      // A mapper runs under one of its mapping names; its own name is refused by `meltano run`.
      blocks: (plugins[type] ?? []).flatMap((p) =>
        p.mappings?.length ? [...p.mappings] : [p.name, ...p.commands.map((c) => `${p.name}:${c}`)],
      ),
    }))
    .filter((group) => group.blocks.length > 0);
}

/** Names a block may start with: every plugin and mapping name (commands are checked by their plugin part). */
export function knownNames(plugins: Record<string, readonly PluginRef[]>): Set<string> {
  return new Set(
    Object.values(plugins).flatMap((list) => list.flatMap((p) => [p.name, ...(p.mappings ?? [])])),
  );
}

/** Plugin names of one type, for the extractor and loader of an ELT schedule. */
export const namesOf = (plugins: Record<string, readonly PluginRef[]> | undefined, type: string): string[] =>
  (plugins?.[type] ?? []).map((p) => p.name);
