import { expect, it } from 'vitest';
import { startBanner } from '../src/commands/start-banner.js';

const meltano = {
  available: true,
  source: 'path' as const,
  executable: '/usr/local/bin/meltano',
  reason: null,
  version: '3.9.5',
  checked: true,
};

it('prints a short readable banner: URL, project, auth, database, Meltano, warnings', () => {
  expect(
    startBanner({
      version: '0.1.0',
      url: 'https://ui.example.com/',
      project: '/srv/project',
      authentication: true,
      database: { kind: 'postgres', display: 'postgresql://meltano:***@db/meltano' },
      meltano,
      warnings: ['ui.server_name is not set'],
    }),
  ).toBe(
    [
      'Meltano UI is running at https://ui.example.com/ (version 0.1.0)',
      '  Project  /srv/project',
      '  Auth     on (users sign in)',
      '  Database PostgreSQL postgresql://meltano:***@db/meltano',
      '  Meltano  3.9.5 at /usr/local/bin/meltano',
      '  Warning: ui.server_name is not set',
      '',
    ].join('\n'),
  );
});

it('says why runs are unavailable, or that the version is still being asked', () => {
  const base = {
    version: '0.1.0',
    url: 'http://127.0.0.1:5000/',
    project: '/p',
    authentication: false,
    database: { kind: 'sqlite' as const, display: '.meltano/meltano.db' },
    warnings: [],
  };
  const missing = startBanner({
    ...base,
    meltano: { ...meltano, available: false, executable: null, version: null, reason: 'No meltano on PATH' },
  });
  expect(missing).toContain('  Meltano  runs unavailable: No meltano on PATH\n');
  expect(missing).toContain('  Auth     off (no sign-in: anyone who reaches the port)\n');
  expect(startBanner({ ...base, meltano: { ...meltano, checked: false, version: null } })).toContain(
    '  Meltano  found at /usr/local/bin/meltano (still asking its version)\n',
  );
});
