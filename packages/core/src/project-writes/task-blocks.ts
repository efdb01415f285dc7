import { invokableNames } from '../plugins/plugin-usage.js';
import type { Project } from '../project/project.types.js';
import { whatExists } from './plugin-suggestions.js';
import { invalid } from './validate.js';

/**
 * The names `meltano run` resolves a task block to (its BlockParser): any project plugin, of any type,
 * or a mapper's mapping name; `name:command` resolves by the part before the colon. Commands are not
 * checked: most come from lock files or the Hub definition, which a project may not carry.
 */
export function blockNames(project: Project): Set<string> {
  return new Set(project.plugins.flatMap((plugin) => [...invokableNames(plugin, plugin.name)]));
}

/** The plugin part of a block: `dbt-postgres:run` → `dbt-postgres`. */
export const blockPlugin = (block: string): string => block.split(':')[0] ?? block;

/**
 * Refuses a task naming a plugin the project does not have, with the task's path (`tasks[1]`, 0-based)
 * as the field. Blocks already in the job on disk are let through, so a job that already names a
 * missing plugin can still get other tasks edited.
 */
export function requireKnownBlocks(project: Project, tasks: string[], kept: ReadonlySet<string>): void {
  const known = blockNames(project);
  tasks.forEach((task, index) => {
    for (const block of task.split(/\s+/).filter(Boolean)) {
      if (kept.has(block)) continue;
      const mapper = project.plugins.find((p) => p.type === 'mappers' && p.name === blockPlugin(block));
      const mappings = mapper
        ? [...invokableNames(mapper, mapper.name)].filter((n) => n !== mapper.name)
        : [];
      if (mappings.length > 0) {
        // BlockParser refuses a mapper's own name: the mapping picks the config it runs with.
        throw invalid(
          `tasks[${index}]`,
          `Task ${index + 1}: '${mapper?.name}' is a mapper; name one of its mappings instead (${mappings.join(', ')}).`,
        );
      }
      if (known.has(blockPlugin(block))) continue;
      throw invalid(
        `tasks[${index}]`,
        `Task ${index + 1}: '${blockPlugin(block)}' is not a plugin of this project. ${whatExists(project, blockPlugin(block))}`,
      );
    }
  });
}
