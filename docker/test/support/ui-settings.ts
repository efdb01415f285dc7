import { settingEnvVar, UI_SETTING_SPECS, type UiSettingSpec } from '@meltano-ui/core';

/**
 * The settings the UI reads, from core's own definitions (packages/core/src/settings/ui-settings.ts),
 * so a setting added there fails the deploy tests until the deploy files say where it comes from.
 */
const specs: readonly UiSettingSpec[] = UI_SETTING_SPECS;

/** database_uri is not marked sensitive (the UI shows where it points) but it carries the DB password. */
const SECRET_BESIDES_SENSITIVE = ['database_uri'];

export interface DeploySetting {
  name: string;
  envVar: string;
}

const withEnvVar = (spec: UiSettingSpec): DeploySetting => ({
  name: spec.name,
  envVar: settingEnvVar(spec.name),
});

export const SECRET_SETTINGS: DeploySetting[] = specs
  .filter((s) => s.sensitive === true || SECRET_BESIDES_SENSITIVE.includes(s.name))
  .map(withEnvVar);

export const PLAIN_SETTINGS: DeploySetting[] = specs
  .filter((s) => !SECRET_SETTINGS.some((secret) => secret.name === s.name))
  .map(withEnvVar);
