import { InvalidInputError } from '../errors.js';
import { checkBranchName } from './deployment-service.js';

/** Another stage of the same project (ui.workspaces): where its UI runs and the branch it deploys. */
export interface Workspace {
  name: string;
  url: string;
  branch: string;
}

function fail(message: string): never {
  throw new InvalidInputError(`ui.workspaces: ${message}`, { setting: 'ui.workspaces' });
}

/**
 * `{"staging": {"url": "https://staging.example.com", "branch": "staging"}, …}` (or a list of
 * `{"name", "url", "branch"}`), read once at boot; a malformed value stops the boot with the reason.
 */
export function parseWorkspaces(value: string | null): Workspace[] {
  if (value === null || value.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    fail('not JSON');
  }
  const entries: [string, unknown][] = Array.isArray(parsed)
    ? parsed.map((w, i) => [
        String((w as { name?: unknown } | null)?.name ?? fail(`item ${i} has no name`)),
        w,
      ])
    : typeof parsed === 'object' && parsed !== null
      ? Object.entries(parsed)
      : fail('expected an object of name → {url, branch}');
  return entries.map(([name, raw]) => {
    const w = (raw ?? {}) as Record<string, unknown>;
    if (name === '' || name.length > 100) fail('a workspace name must have 1 to 100 characters');
    if (typeof w.url !== 'string' || !/^https?:\/\/[^\s]+$/i.test(w.url))
      fail(`${name}: url must be an http(s) URL`);
    if (typeof w.branch !== 'string') fail(`${name}: branch is missing`);
    return { name, url: w.url, branch: checkBranchName(w.branch, 'ui.workspaces') };
  });
}
