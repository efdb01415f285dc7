import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiDelete, apiPut, queryString } from '../../../lib/api-client';
import type { PluginSetting, SettingWritten } from '../../../lib/api-types';

export interface SettingTarget {
  type: string;
  name: string;
  /** The environment the settings page shows; writes into its block of meltano.yml where Meltano would. */
  environment: string | null;
  setting: Pick<PluginSetting, 'name' | 'version'>;
}

const settingPath = ({ type, name, environment, setting }: SettingTarget) =>
  `/plugins/${encodeURIComponent(type)}/${encodeURIComponent(name)}/settings/${encodeURIComponent(setting.name)}${queryString({ environment })}`;

/** `meltano config <plugin> set`, refused (409) if the setting changed since this version was read. */
export const setSetting = (target: SettingTarget, value: unknown) =>
  apiPut<SettingWritten>(settingPath(target), { value }, { ifMatch: target.setting.version });

/** `meltano config <plugin> unset`: removed from every store holding it. */
export const unsetSetting = (target: SettingTarget) =>
  apiDelete<SettingWritten>(settingPath(target), { ifMatch: target.setting.version });

export type SettingWrite = { target: SettingTarget } & (
  | { action: 'set'; value: unknown }
  | { action: 'unset' }
);

/** Set or unset one setting; afterwards the plugin's settings are read again whatever the outcome. */
export function useWriteSetting(type: string, name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (write: SettingWrite) =>
      write.action === 'set' ? setSetting(write.target, write.value) : unsetSetting(write.target),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['plugins', type, name, 'settings'] }),
  });
}
