import type { Environment, Plugin } from '../../../lib/api-types';

/** What names a plugin: removing it leaves these pointing at nothing (environment overrides just stay). */
export interface PluginUsers {
  schedules: string[];
  jobs: string[];
  /** Plugins that inherit from it. */
  plugins: string[];
  /** Environments with an override for it, which Meltano leaves in place on `meltano remove`. */
  environments: string[];
}

export function pluginUsers(
  plugin: Plugin,
  all: readonly Plugin[],
  environments: readonly Environment[],
): PluginUsers {
  return {
    schedules: plugin.used_by.schedules,
    jobs: plugin.used_by.jobs,
    plugins: all
      .filter((p) => p.type === plugin.type && p.inherit_from === plugin.name && p.name !== plugin.name)
      .map((p) => p.name),
    environments: environments
      .filter((e) => e.plugin_overrides.some((o) => o.type === plugin.type && o.name === plugin.name))
      .map((e) => e.name),
  };
}

/** The users from a 409 `plugin_in_use` answer, whose details name them as the server saw them. */
export function usersFromConflict(details: Record<string, unknown> | undefined): PluginUsers {
  const names = (value: unknown): string[] =>
    Array.isArray(value)
      ? value.flatMap((v) =>
          typeof v === 'string'
            ? [v]
            : typeof v === 'object' && v !== null && 'name' in v
              ? [String(v.name)]
              : [],
        )
      : [];
  return {
    schedules: names(details?.schedules),
    jobs: names(details?.jobs),
    plugins: names(details?.plugins),
    environments: names(details?.environments),
  };
}

/** Whether removing it breaks something (Meltano's CLI removes it anyway; the UI asks first). */
export function isInUse(users: PluginUsers): boolean {
  return users.schedules.length + users.jobs.length + users.plugins.length > 0;
}

/** "schedule daily, job nightly, plugin tap-x--eu", for one line of text. */
export function describeUsers(users: PluginUsers): string[] {
  return [
    ...users.schedules.map((s) => `schedule ${s}`),
    ...users.jobs.map((j) => `job ${j}`),
    ...users.plugins.map((p) => `plugin ${p} (inherits from it)`),
  ];
}
