/** test-fixtures/real-meltano/, with a trailing slash. */
export const REAL_MELTANO: string;
/** test-fixtures/workspace-tap-auth0/ (the guide's three-environment tap-auth0 project), trailing slash. */
export const WORKSPACE_TAP_AUTH0: string;
/** The third-party projects folder (SOURCES.md and one folder per project), present or not. */
export const REAL_PROJECTS: string;
export const HAS_REAL_PROJECTS: boolean;
/** The one line a suite prints when it skips the third-party projects. */
export const REAL_PROJECTS_SKIPPED: string;
/** A writable copy of a fixture tree in a new temp folder; returns the copy's path. */
export function copyWritable(source: string, prefix?: string): string;
