import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreError, maskSecretText, ProjectStore, projectErrorView } from '../../src/index.js';

describe('maskSecretText', () => {
  it('masks secret-named values and URI passwords, keeps the rest', () => {
    expect(maskSecretText('      password: hunter2: oops')).toBe('      password: (redacted)');
    expect(maskSecretText('  api_key = "abc" extra\nname: tap-x')).toBe(
      '  api_key = (redacted)\nname: tap-x',
    );
    expect(maskSecretText('{"client_secret": "s3"}')).toBe('{"client_secret": (redacted)');
    expect(maskSecretText('  - AUTH_TOKEN=xyz')).toBe('  - AUTH_TOKEN=(redacted)');
    expect(maskSecretText('uri: postgresql://me:pw@db/x')).toBe('uri: postgresql://me:(redacted)@db/x');
    expect(maskSecretText('Implicit keys need to be on a single line at line 2, column 1:')).toBe(
      'Implicit keys need to be on a single line at line 2, column 1:',
    );
  });
});

describe('projectErrorView', () => {
  let dir: string | null = null;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gives the file relative to the project, line, column, and an excerpt with the secret masked', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'error-view-'));
    await writeFile(
      path.join(dir, 'meltano.yml'),
      'version: 1\nplugins:\n  extractors:\n  - name: tap-x\n    config:\n      password: hunter2-secret: oops\n',
    );
    const snapshot = await new ProjectStore(dir, { checkIntervalMs: 0 }).get();
    if (snapshot.ok) throw new Error('the file should not parse');
    const view = projectErrorView(dir, snapshot.error);
    expect(view).toMatchObject({ code: 'project_file_invalid', file: 'meltano.yml', line: 6 });
    expect(view.column).toBeGreaterThan(0);
    expect(view.summary).toMatch(/^meltano\.yml: /);
    expect(view.excerpt).toContain('password: (redacted)');
    expect(JSON.stringify(view)).not.toContain('hunter2');
    expect(JSON.stringify(view)).not.toContain(dir);
  });

  it('makes absolute paths in wrapped errors relative', () => {
    const view = projectErrorView(
      '/srv/p',
      new CoreError('project_load_failed', 500, "EACCES: open '/srv/p/a.yml'"),
    );
    expect(view).toMatchObject({ message: "EACCES: open 'a.yml'", file: null, excerpt: null });
  });
});
