import { HAS_REAL_PROJECTS, REAL_PROJECTS_SKIPPED } from '../../../../test-fixtures/fixture-locations.mjs';

/** vitest globalSetup: one line, once per run, when the third-party projects are not here. */
export default function reportSkippedFixtures(): void {
  if (!HAS_REAL_PROJECTS) console.log(`[core] ${REAL_PROJECTS_SKIPPED}`);
}
