import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectNotFoundError } from '../../src/errors.js';
import { findProjectRoot } from '../../src/project/find-project-root.js';
import { realMeltano, withTempCopy } from './fixture-paths.js';

describe('findProjectRoot', () => {
  const project = realMeltano('v4.2.2');

  it('prefers --project-root, then MELTANO_PROJECT_ROOT, then walks up from cwd', async () => {
    await withTempCopy(null, async (dir) => {
      await mkdir(join(dir, 'a/b/c'), { recursive: true });
      await writeFile(join(dir, 'a/meltano.yml'), 'plugins: {}\n');
      const env = { MELTANO_PROJECT_ROOT: project };
      expect(findProjectRoot({ projectRoot: join(dir, 'a'), env, cwd: '/' })).toBe(join(dir, 'a'));
      expect(findProjectRoot({ projectRoot: null, env, cwd: join(dir, 'a/b/c') })).toBe(project);
      expect(findProjectRoot({ env: {}, cwd: join(dir, 'a/b/c') })).toBe(join(dir, 'a'));
      // Relative values resolve against cwd.
      expect(findProjectRoot({ projectRoot: 'a', env: {}, cwd: dir })).toBe(join(dir, 'a'));
    });
  });

  it('fails when an explicit root has no meltano.yml', async () => {
    await withTempCopy(null, async (dir) => {
      expect(() => findProjectRoot({ projectRoot: dir, env: {}, cwd: '/' })).toThrow(ProjectNotFoundError);
      expect(() => findProjectRoot({ env: { MELTANO_PROJECT_ROOT: dir }, cwd: project })).toThrow(
        /No meltano\.yml in .* \(given by MELTANO_PROJECT_ROOT\)/,
      );
    });
  });

  it('lists the directories it tried when the walk finds nothing', async () => {
    await withTempCopy(null, async (dir) => {
      await mkdir(join(dir, 'x/y'), { recursive: true });
      let error: unknown;
      try {
        findProjectRoot({ env: {}, cwd: join(dir, 'x/y') });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ProjectNotFoundError);
      const message = (error as Error).message;
      expect(message).toContain(join(dir, 'x/y'));
      expect(message).toContain(join(dir, 'x'));
      expect(message).toContain('--project-root');
    });
  });
});
