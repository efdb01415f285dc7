import type { Project } from '../../lib/api-types';

/** Where the active environment came from, in words. */
export function activeEnvironmentSource(
  p: Pick<
    Project,
    'active_environment_source' | 'active_environment_updated_by' | 'active_environment_updated_at'
  >,
): string {
  switch (p.active_environment_source) {
    case 'process_env':
      return "MELTANO_ENVIRONMENT in the UI's process environment";
    case 'dotenv':
      return "MELTANO_ENVIRONMENT in the project's .env";
    case 'default_environment':
      return 'default_environment in meltano.yml';
    case 'ui': {
      const by = p.active_environment_updated_by ? ` by ${p.active_environment_updated_by}` : '';
      const at = p.active_environment_updated_at
        ? ` on ${new Date(p.active_environment_updated_at).toLocaleString()}`
        : '';
      return `chosen on the Settings page${by}${at}`;
    }
  }
}
