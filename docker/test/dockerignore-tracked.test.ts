import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/dockerfile-stages.js';
import { buildContextFilter } from './support/build-context.js';

describe('the build context of a checkout', () => {
  it('holds no tracked .env or .meltano file (fixture projects keep theirs; the image must not)', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n');
    const risky = tracked.filter((f) => /(^|\/)(\.env|\.meltano)(\/|$)/.test(f));
    // The fixtures do commit them, so this checks the rules against real paths, not just examples.
    expect(risky.length).toBeGreaterThan(0);
    const inContext = buildContextFilter();
    expect(risky.filter(inContext)).toEqual([]);
  });
});
