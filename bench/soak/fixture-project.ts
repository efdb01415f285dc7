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
