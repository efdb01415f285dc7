import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import { CoreError, InvalidInputError } from '../errors.js';
import { setDotenvKey } from '../setting-writes/dotenv-edit.js';
import { editDotenvFile } from '../setting-writes/setting-files.js';
import {
  legacyUiCfgFile,
  type ResolvedSetting,
  type SettingSource,
  settingEnvVar,
  type UiSettingName,
} from '../settings/ui-settings.js';
import { MIN_SECRET_BYTES } from './auth-config.js';

/** How Meltano names where a setting's value came from ("has already been set in …"). */
const SOURCE_LABELS: Record<SettingSource, string> = {
  cli: 'the command line',
  env: 'the environment',
  dotenv: '`.env`',
  meltano_yml: '`meltano.yml`',
  default: 'the default',
};

export interface UiSetupResult {
  /** Lines to print, in order, exactly as Meltano words them. */
  messages: string[];
  /** Env vars written to `.env`. */
  written: string[];
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * `meltano ui setup SERVER_NAME [--bits N]`, as Meltano does it: the server name goes to `.env` first;
 * an old `ui.cfg` stops it; each of ui.secret_key / ui.password_salt still at its default gets a fresh
 * random hex value in `.env`, one already set elsewhere is left alone with a notice.
 */
export async function setupUi(input: {
  root: string;
  serverName: string;
  bits?: number;
  settings: Record<UiSettingName, ResolvedSetting>;
}): Promise<UiSetupResult> {
  const bits = input.bits ?? 256;
  if (!Number.isInteger(bits) || bits % 8 !== 0 || bits / 8 < MIN_SECRET_BYTES) {
    throw new InvalidInputError(
      `--bits must be a multiple of 8 and at least ${MIN_SECRET_BYTES * 8} (the UI refuses shorter secrets), got ${bits}`,
    );
  }
  // Each key replaced in place or appended, every other byte kept, as python-dotenv's set_key does.
  const setDotenvValues = (values: Record<string, string>) =>
    editDotenvFile(input.root, (text) =>
      Object.entries(values).reduce((out, [key, value]) => setDotenvKey(out, key, value), text),
    );
  await setDotenvValues({ [settingEnvVar('ui.server_name')]: input.serverName });
  const written = [settingEnvVar('ui.server_name')];

  const uiCfg = legacyUiCfgFile(input.root);
  if (await exists(uiCfg)) {
    throw new CoreError(
      'legacy_ui_cfg_exists',
      409,
      `Found existing secrets in file '${uiCfg}'. Please delete this file and rerun this command to regenerate the secrets.`,
    );
  }

  const messages: string[] = [];
  const fresh: Record<string, string> = {};
  for (const name of ['ui.secret_key', 'ui.password_salt'] as const) {
    const setting = input.settings[name];
    if (setting.source !== 'default') {
      messages.push(
        `Setting '${name}' has already been set in ${SOURCE_LABELS[setting.source]}. Please unset it manually and rerun this command to regenerate this secret.`,
      );
      continue;
    }
    fresh[settingEnvVar(name)] = randomBytes(bits / 8).toString('hex');
  }
  if (Object.keys(fresh).length > 0) {
    await setDotenvValues(fresh);
    written.push(...Object.keys(fresh));
  }
  messages.push(
    "The server name and generated secrets have been stored in your project's `.env` file.",
    'In production, you will likely want to move these settings to actual environment variables, since `.env` is in `.gitignore` by default.',
  );
  return { messages, written };
}
