import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyWritable, REAL_MELTANO } from '../../test-fixtures/fixture-locations.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Meltano-CLI stand-in (NOT the real Meltano): the UI runs pipelines with it during the soak. */
export const STANDIN = path.join(REPO, 'test-fixtures', 'meltano-standin', 'bin', 'meltano.mjs');

/** A temp copy of the real Meltano project of `version` (the fixtures are read-only). */
export function copyFixtureProject(version = 'v3.9.5'): string {
  return copyWritable(path.join(REAL_MELTANO, version, 'project'), 'bench-soak-');
}

/** A run of the v3.9.5 fixture with its elt.log (daily-demo), which the log benches fill up. */
export const FIXTURE_LOG_RUN = {
  id: 8,
  log: path.join('.meltano', 'logs', 'elt', 'daily-demo', '01a1fc64-72b2-7906-8379-1e4a31b1c9a7', 'elt.log'),
};
