import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/load-project.js';
import { createSchedule, updateSchedule } from '../../src/project-writes/index.js';
import { realMeltano, withTempCopy } from '../project/fixture-paths.js';

describe('schedule env edits', () => {
  it('keeps a secret the API showed as (redacted) when an edit sends the placeholder back', async () => {
    await withTempCopy(realMeltano('v3.9.5'), async (root) => {
      await createSchedule(root, {
        name: 'with-secret',
        interval: '@daily',
        job: 'demo-job',
        env: { API_TOKEN: 's3cr3t-value', TARGET_SCHEMA: 'raw' },
      });
      // The edit form sends back every row as it was shown, the secret as "(redacted)", plus a new one.
      await updateSchedule(root, 'with-secret', {
        env: { API_TOKEN: '(redacted)', TARGET_SCHEMA: 'analytics', DEBUG: '1' },
      });
      const schedule = (await loadProject(root)).schedules.find((s) => s.name === 'with-secret');
      expect(schedule?.env).toEqual({ API_TOKEN: 's3cr3t-value', TARGET_SCHEMA: 'analytics', DEBUG: '1' });
      expect(await readFile(join(root, 'meltano.yml'), 'utf8')).not.toContain('(redacted)');

      // A new value replaces it, and a placeholder under a name that had no value is written as given.
      await updateSchedule(root, 'with-secret', { env: { API_TOKEN: 'rotated', OTHER: '(redacted)' } });
      expect((await loadProject(root)).schedules.find((s) => s.name === 'with-secret')?.env).toEqual({
        API_TOKEN: 'rotated',
        OTHER: '(redacted)',
      });
    });
  });
});
