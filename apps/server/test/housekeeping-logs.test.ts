import { describe, expect, it, vi } from 'vitest';
import { DIALECTS, startTestApp } from './support/test-app.js';

const AUTH_ENV = {
  MELTANO_UI_AUTHENTICATION: 'true',
  MELTANO_UI_LEGACY_PASSWORD_SALT: 'fixture-salt-7f3a9c',
};

describe.each(DIALECTS)('background work that fails is logged (%s)', (dialect) => {
  it('logs a failing boot-time reconcile of runs and purge of expired sessions, and keeps serving', async () => {
    const logLines: string[] = [];
    const app = await startTestApp(dialect, {
      version: 'v2.20.0',
      env: AUTH_ENV,
      logLines,
      // A table in the way of the UI's first migration: every use of the UI's tables fails.
      beforeServer: (core) =>
        core.db.withKysely((k) => k.schema.createTable('ui_launches').addColumn('x', 'integer').execute()),
    });
    try {
      const events = () => logLines.map((l) => JSON.parse(l));
      await vi.waitFor(
        () => {
          const seen = events().map((l) => l.event);
          expect(seen).toContain('reconcile_failed');
          expect(seen).toContain('purge_failed');
        },
        { timeout: 30_000, interval: 50 },
      );
      for (const event of ['reconcile_failed', 'purge_failed']) {
        const line = events().find((l) => l.event === event);
        expect(line.level).toBeGreaterThanOrEqual(40); // warn or error
        expect(line.reason).toMatch(/Meltano UI's tables/);
      }
      expect((await app.server.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
    } finally {
      await app.cleanup();
    }
  });
});
