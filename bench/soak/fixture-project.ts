// Where the soak's project comes from: the real-Meltano v3.9.5 fixture, copied somewhere writable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REAL_MELTANO } from '../../test-fixtures/fixture-locations.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Meltano-CLI stand-in (NOT the real Meltano): the UI runs pipelines with it during the soak. */
export const STANDIN = path.join(REPO, 'test-fixtures', 'meltano-standin', 'bin', 'meltano.mjs');

/** A temp copy of the real Meltano project of `version` (the fixtures are read-only). */
export function copyFixtureProject(version = 'v3.9.5'): string {
  const source = path.join(REAL_MELTANO, version, 'project');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-soak-'));
  fs.cpSync(source, dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(entry.parentPath, entry.name);
    fs.chmodSync(p, entry.isDirectory() ? 0o755 : 0o644);
  }
  return dir;
}
