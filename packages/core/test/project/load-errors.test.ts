import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectFileError, ProjectNotFoundError } from '../../src/errors.js';
import { loadProject } from '../../src/project/load-project.js';
import { withTempCopy } from './fixture-paths.js';

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), text);
  }
}

/** Load a project made of `files`; resolves to the thrown error (or fails the test when nothing throws). */
async function loadError(files: Record<string, string>): Promise<ProjectFileError> {
  return withTempCopy(null, async (root) => {
    await writeFiles(root, files);
    const error = await loadProject(root).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProjectFileError);
    return error as ProjectFileError;
  });
}

describe('project file errors', () => {
  it('names both files when an entity is defined in two included files', async () => {
    const error = await loadError({
      'meltano.yml': 'include_paths:\n- ./extract/*.yml\n',
      'extract/a.yml': 'plugins:\n  extractors:\n  - name: tap-x\n',
      'extract/b.yml':
        '# second\nplugins:\n  extractors:\n  - name: tap-y\n  - name: tap-x\n    pip_url: x\n',
    });
    expect(error.message).toContain("plugin 'tap-x' (extractors)");
    expect(error.message).toContain('extract/a.yml line 3');
    expect(error.message).toContain('extract/b.yml line 5');
    expect(error.location).toMatchObject({ line: 5, column: 5 });
    expect(error.location.file).toMatch(/extract\/b\.yml$/);
  });

  it('rejects duplicate schedules, jobs and environments too', async () => {
    const schedule = await loadError({
      'meltano.yml':
        "include_paths: ['s.yml']\nschedules:\n- name: nightly\n  job: j\n  interval: '@daily'\n",
      's.yml': "schedules:\n- name: nightly\n  job: j\n  interval: '@hourly'\n",
    });
    expect(schedule.message).toMatch(/schedule 'nightly'.*meltano\.yml line 3.*s\.yml line 2/);
    const job = await loadError({
      'meltano.yml': 'jobs:\n- name: j\n  tasks: a b\n- name: j\n  tasks: c d\n',
    });
    expect(job.message).toContain("Duplicate job 'j'");
    const environment = await loadError({ 'meltano.yml': 'environments:\n- name: dev\n- name: dev\n' });
    expect(environment.location.line).toBe(3);
  });

  it('reports malformed YAML with file, 1-based line and column and the parser message', async () => {
    const duplicateKey = await loadError({
      'meltano.yml':
        'default_environment: dev\nplugins:\n  extractors:\n  - name: tap-a\n    pip_url: x\n    pip_url: y\n',
    });
    expect(duplicateKey.location).toMatchObject({ line: 6, column: 5 });
    expect(duplicateKey.message).toMatch(/^meltano\.yml: Map keys must be unique/);
    expect(duplicateKey.code).toBe('project_file_invalid');

    const unterminated = await loadError({
      'meltano.yml': "include_paths: ['s.yml']\n",
      's.yml': "schedules:\n- name: a\n  interval: '@daily\n",
    });
    expect(unterminated.message).toMatch(/^s\.yml: Missing closing 'quote/);
    expect(unterminated.location).toMatchObject({ line: 4, column: 1 });
    expect(unterminated.location.file).toMatch(/s\.yml$/);
  });

  it('keeps the parser error for a flow collection that is never closed', async () => {
    const error = await loadError({
      'meltano.yml': 'plugins:\n  extractors:\n  - name: tap-a\n    config: {a: 1\n  loaders: []\n',
    });
    expect(error.message).toMatch(
      /^meltano\.yml: Flow map in block collection must be sufficiently indented/,
    );
    expect(error.location).toMatchObject({ line: 5, column: 3 });
  });

  it('rejects files that are not mappings and entities without a name', async () => {
    const list = await loadError({ 'meltano.yml': '- a\n- b\n' });
    expect(list.message).toContain('must hold a YAML mapping');
    expect(list.location.line).toBe(1);
    const included = await loadError({ 'meltano.yml': "include_paths: ['x.yml']\n", 'x.yml': 'just text\n' });
    expect(included.location.file).toMatch(/x\.yml$/);
    const nameless = await loadError({ 'meltano.yml': 'plugins:\n  loaders:\n  - pip_url: x\n' });
    expect(nameless.message).toContain('needs a `name`');
    expect(nameless.location).toMatchObject({ line: 3, column: 5 });
  });

  it('rejects inheritance cycles', async () => {
    const error = await loadError({
      'meltano.yml':
        'plugins:\n  extractors:\n  - name: a\n    inherit_from: b\n  - name: b\n    inherit_from: a\n',
    });
    expect(error.message).toContain('cannot inherit from');
  });

  it('throws ProjectNotFoundError without meltano.yml', async () => {
    await withTempCopy(null, async (root) => {
      await expect(loadProject(root)).rejects.toBeInstanceOf(ProjectNotFoundError);
    });
  });
});

describe('include paths', () => {
  it('never reads files outside the root, through `..` globs or symlinks', async () => {
    await withTempCopy(null, async (dir) => {
      const root = join(dir, 'project');
      await writeFiles(dir, {
        'outside/evil.yml': 'plugins:\n  extractors:\n  - name: tap-evil\n',
        'project/meltano.yml':
          "include_paths:\n- '../outside/*.yml'\n- './linked/*.yml'\n- './ok/*.yml'\n- '/etc/*.yml'\n",
        'project/ok/good.yml': 'plugins:\n  extractors:\n  - name: tap-good\n',
      });
      await symlink(join(dir, 'outside'), join(root, 'linked'));
      await symlink(join(dir, 'outside/evil.yml'), join(root, 'ok/evil-link.yml'));
      const project = await loadProject(root);
      expect(project.plugins.map((p) => p.name)).toEqual(['tap-good']);
      expect(project.files).toEqual([join(root, 'meltano.yml'), join(root, 'ok/good.yml')]);
    });
  });

  it('skips meltano.yml and directories matched by a glob', async () => {
    await withTempCopy(null, async (root) => {
      await writeFiles(root, {
        'meltano.yml': "include_paths: ['./*.yml', './*']\nplugins:\n  loaders:\n  - name: target-a\n",
        'dir/nested.yml': 'plugins: {}\n',
        'other.yml': 'plugins:\n  loaders:\n  - name: target-b\n',
      });
      const project = await loadProject(root);
      expect(project.files).toEqual([join(root, 'meltano.yml'), join(root, 'other.yml')]);
      expect(project.plugins.map((p) => p.name)).toEqual(['target-a', 'target-b']);
    });
  });

  it('loads CRLF files and files without a trailing newline', async () => {
    await withTempCopy(null, async (root) => {
      await writeFiles(root, {
        'meltano.yml':
          'include_paths:\r\n- inc.yml\r\ndefault_environment: prod\r\nenvironments:\r\n- name: prod',
        'inc.yml': 'jobs:\r\n- name: j\r\n  tasks:\r\n  - tap-a target-b\r\n  - [tap-c, mapper-x, target-d]',
      });
      const project = await loadProject(root);
      expect(project.default_environment).toBe('prod');
      expect(project.environments.map((e) => e.name)).toEqual(['prod']);
      expect(project.jobs[0]?.tasks).toEqual([
        ['tap-a', 'target-b'],
        ['tap-c', 'mapper-x', 'target-d'],
      ]);
    });
  });
});
