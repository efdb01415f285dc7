import { createHmac, randomBytes } from 'node:crypto';
import { stableJson } from '../project-writes/fingerprint.js';
import type { FinalSetting } from './settings-resolver.js';

/** Keyed per process so a version never serves as a hash of a secret; versions last as long as the server. */
const KEY = randomBytes(32);

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  }
  return value;
}

/**
 * The version of a resolved setting as a client saw it (where it came from and its value as written). A
 * write carrying an older version is refused instead of overwriting a change made in between.
 */
export function settingVersion(final: FinalSetting): string {
  const state = {
    source: final.source,
    inherited_source: final.inherited_source,
    env_var: final.env_var,
    value: final.unexpanded === undefined ? final.value : final.unexpanded,
    conflict: final.conflict,
  };
  return createHmac('sha256', KEY)
    .update(stableJson(plain(state)))
    .digest('hex')
    .slice(0, 16);
}
