import { NotFoundError } from '../errors.js';
import type { AddablePluginType, Project } from '../project/project.types.js';
import type { LaunchCommand } from './launch-runner.js';
import { atLeast, type MeltanoVersion } from './meltano-version.js';

/** The CLI's singular plugin type names (`PluginType.singular`). */
const SINGULAR: Record<AddablePluginType, string> = {
  extractors: 'extractor',
  loaders: 'loader',
  transforms: 'transform',
  orchestrators: 'orchestrator',
  transformers: 'transformer',
  files: 'file',
  utilities: 'utility',
  mappers: 'mapper',
};

/** The ui_launch_locks key an install holds: one install of a plugin at a time. */
export function installLockKey(type: string, name: string): string {
  return `meltano-ui:install:${type}:${name}`;
}

/**
 * `meltano install` for one plugin of the project. Meltano 3.8 added `--plugin-type` and deprecated the
 * positional type, which 4.0 no longer reads as a type; older (or unknown) versions get `install TYPE NAME`.
 */
export function installCommand(
  project: Project,
  type: AddablePluginType,
  name: string,
  version: MeltanoVersion | null,
): LaunchCommand {
  if (!project.plugins.some((p) => p.type === type && p.name === name)) {
    throw new NotFoundError('plugin', `There is no ${SINGULAR[type]} named '${name}' in the project`);
  }
  // `--` ends click's options: a plugin named like an option stays a name.
  const args = atLeast(version, 3, 8)
    ? ['install', '--plugin-type', SINGULAR[type], '--', name]
    : ['install', '--', SINGULAR[type], name];
  return {
    kind: 'install',
    name: `${type}/${name}`,
    args,
    env: {},
    stateIds: [],
    lockKeys: [installLockKey(type, name)],
  };
}
