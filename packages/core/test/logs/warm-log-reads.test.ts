import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { warmLogReads } from '../../src/logs/warm-log-reads.js';

const warmDirs = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('meltano-ui-warm-'));

describe('warming the log reads at boot', () => {
  it('leaves nothing behind, and never rejects, whatever the roots are', async () => {
    const before = warmDirs();
    await expect(
      warmLogReads([{ dir: '/nonexistent/meltano-ui', kind: 'project' }]),
    ).resolves.toBeUndefined();
    await expect(warmLogReads([])).resolves.toBeUndefined();
    expect(warmDirs()).toEqual(before);
  });

  it('reads nothing under the real roots', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-roots-'));
    try {
      fs.mkdirSync(path.join(root, 'elt'));
      const before = fs.readdirSync(root, { recursive: true });
      await warmLogReads([{ dir: root, kind: 'project' }]);
      expect(fs.readdirSync(root, { recursive: true })).toEqual(before);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
