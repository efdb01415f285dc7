import { describe, expect, it } from 'vitest';
import { resolveLogRoots } from '../../src/logs/log-roots.js';

describe('resolveLogRoots', () => {
  it('lists configured, project, per-user and legacy roots in that order', () => {
    const roots = resolveLogRoots({
      sysDir: '/p/.meltano',
      logsDir: '/var/log/meltano',
      env: { XDG_STATE_HOME: '/state' },
      homeDir: '/home/u',
      platform: 'linux',
    });
    expect(roots).toEqual([
      { dir: '/var/log/meltano', kind: 'configured' },
      { dir: '/p/.meltano/logs', kind: 'project' },
      { dir: '/state/meltano/log', kind: 'xdg' },
      { dir: '/p/.meltano/run', kind: 'legacy' },
    ]);
  });

  it('falls back to ~/.local/state when XDG_STATE_HOME is unset or blank, and skips an empty logsDir', () => {
    for (const env of [{}, { XDG_STATE_HOME: '  ' }]) {
      const roots = resolveLogRoots({
        sysDir: '/p/.meltano',
        logsDir: '',
        env,
        homeDir: '/home/u',
        platform: 'linux',
      });
      expect(roots.map((r) => r.dir)).toEqual([
        '/p/.meltano/logs',
        '/home/u/.local/state/meltano/log',
        '/p/.meltano/run',
      ]);
    }
  });

  it("uses platformdirs' macOS folder and lists a duplicate folder once", () => {
    const roots = resolveLogRoots({
      sysDir: '/p/.meltano',
      logsDir: '/p/.meltano/logs/',
      env: {},
      homeDir: '/Users/u',
      platform: 'darwin',
    });
    expect(roots).toEqual([
      { dir: '/p/.meltano/logs', kind: 'configured' },
      { dir: '/Users/u/Library/Logs/meltano', kind: 'xdg' },
      { dir: '/p/.meltano/run', kind: 'legacy' },
    ]);
  });
});
