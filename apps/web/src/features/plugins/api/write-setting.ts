import { answer, api, ifMatch } from '../../../lib/api-client';
import type { PluginSetting } from '../../../lib/api-types';

export interface SettingTarget {
  type: string;
  name: string;
  /** The environment the settings page shows; writes into its block of meltano.yml where Meltano would. */
  environment: string | null;
  setting: Pick<PluginSetting, 'name' | 'version'>;
}

const settingParams = ({ type, name, environment, setting }: SettingTarget) => ({
  path: { type, name, setting: setting.name },
  query: { environment: environment ?? undefined },
  header: ifMatch(setting.version),
});

/** `meltano config <plugin> set`, refused (409) if the setting changed since this version was read. */
export const setSetting = (target: SettingTarget, value: unknown) =>
  answer(
    api.PUT('/api/v1/plugins/{type}/{name}/settings/{setting}', {
      params: settingParams(target),
      body: { value },
    }),
  );

/** `meltano config <plugin> unset`: removed from every store holding it. */
export const unsetSetting = (target: SettingTarget) =>
  answer(api.DELETE('/api/v1/plugins/{type}/{name}/settings/{setting}', { params: settingParams(target) }));
