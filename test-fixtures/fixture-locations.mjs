// Where every test suite finds its fixtures. The artifacts written by the real Meltano CLI live in
// this repository (./real-meltano, see ./README.md), so a clone runs its tests alone. The 25
// third-party projects stay outside it: ../shared/fixtures/real-projects next to the clone (always
// there in CI), or MELTANO_UI_REAL_PROJECTS; without them the tests that read them are skipped.
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REAL_MELTANO = fileURLToPath(new URL('./real-meltano/', import.meta.url));

/** The tap-auth0 project of Meltano's workspace guide (three environments), see its README. */
export const WORKSPACE_TAP_AUTH0 = fileURLToPath(new URL('./workspace-tap-auth0/', import.meta.url));

export const REAL_PROJECTS = process.env.MELTANO_UI_REAL_PROJECTS
  ? path.resolve(process.env.MELTANO_UI_REAL_PROJECTS)
  : fileURLToPath(new URL('../../shared/fixtures/real-projects/', import.meta.url));

export const HAS_REAL_PROJECTS = existsSync(path.join(REAL_PROJECTS, 'SOURCES.md'));

// CI sets this: there a missing folder is a broken checkout, never a reason to skip.
if (!HAS_REAL_PROJECTS && process.env.MELTANO_UI_REQUIRE_REAL_PROJECTS === '1') {
  throw new Error(`MELTANO_UI_REQUIRE_REAL_PROJECTS=1 but ${REAL_PROJECTS} holds no SOURCES.md`);
}

export const REAL_PROJECTS_SKIPPED = `skipped: the tests over the 25 third-party Meltano projects (${REAL_PROJECTS} is not there; set MELTANO_UI_REAL_PROJECTS to a copy of shared/fixtures/real-projects to run them)`;

/**
 * A writable copy of a fixture tree in a new temp folder (fixtures may be checked out read-only, and
 * tests must never write into them); returns the copy's path.
 */
export function copyWritable(source, prefix = 'meltano-ui-fixture-') {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cpSync(source, dir, { recursive: true });
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
  return dir;
}
