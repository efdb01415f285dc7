import type { Project } from '../project/project.types.js';
import { resolveSetting, type UiSettingSpec } from '../settings/ui-settings.js';

export const DEFAULT_HUB_URL = 'https://hub.meltano.com';

const HUB_SETTINGS = {
  hub_url: { name: 'hub_url', kind: 'string', default: DEFAULT_HUB_URL, description: 'Meltano Hub' },
  hub_api_root: { name: 'hub_api_root', kind: 'string', default: null, description: 'Meltano Hub API root' },
  hub_url_auth: {
    name: 'hub_url_auth',
    kind: 'string',
    default: null,
    description: 'Authorization header sent to Meltano Hub',
    sensitive: true,
  },
} satisfies Record<string, UiSettingSpec>;

export interface HubEndpoint {
  /** Where `plugins/index` and `plugins/<type>/<name>--<variant>` are read from. */
  api_url: string;
  /** `hub_url_auth`, sent as the Authorization header. */
  auth: string | null;
}

/**
 * The hub the CLI would use, by Meltano's rule: `hub_api_root` when set, else `<hub_url>/meltano/api/v1`,
 * each read like any project setting (env `MELTANO_HUB_URL`..., `.env`, meltano.yml, default).
 */
export function resolveHubEndpoint(project: Project | null, env: NodeJS.ProcessEnv): HubEndpoint {
  const expansionVars: Record<string, string> = project ? { MELTANO_PROJECT_ROOT: project.root } : {};
  const layers = {
    env,
    dotenv: project?.dotenv ?? {},
    meltanoYml: project?.settings ?? {},
    expansionVars,
  };
  const value = (spec: UiSettingSpec) => {
    const resolved = resolveSetting(spec, layers).value;
    return typeof resolved === 'string' && resolved !== '' ? resolved : null;
  };
  const root = value(HUB_SETTINGS.hub_api_root);
  const hubUrl = value(HUB_SETTINGS.hub_url) ?? DEFAULT_HUB_URL;
  return {
    api_url: (root ?? `${hubUrl.replace(/\/+$/, '')}/meltano/api/v1`).replace(/\/+$/, ''),
    auth: value(HUB_SETTINGS.hub_url_auth),
  };
}
