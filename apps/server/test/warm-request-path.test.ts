import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';
import { until } from './support/wait.js';

interface LogLine {
  level: number;
  route?: string;
  status?: number;
  user?: string;
  msg?: string;
}

describe.each(DIALECTS)("the start-up request to the server's own readiness route (%s)", (dialect) => {
  let app: TestApp | null = null;
  afterEach(async () => {
    await app?.cleanup();
    app = null;
  });

  const readyLines = (lines: string[]) =>
    lines.map((l) => JSON.parse(l) as LogLine).filter((l) => l.route === '/api/v1/ready');

  it.each([
    ['this machine', {}],
    ['ui.server_name', { MELTANO_UI_SERVER_NAME: 'ui.example.com' }],
  ])(
    'is answered 200 once after listening, as an anonymous caller, logged at debug only (Host: %s)',
    async (_, env) => {
      const lines: string[] = [];
      app = await startTestApp(dialect, { logLines: lines, logLevel: 'debug', env });
      await app.server.listen({ host: '127.0.0.1', port: 0 });
      await until('the readiness request', async () => readyLines(lines).length > 0);

      const [line, ...more] = readyLines(lines);
      expect(more).toEqual([]);
      expect(line).toMatchObject({ level: 20, status: 200, user: 'anonymous' });
      // Its unknown session token is looked up and found nowhere: nothing is written, nothing warned.
      expect(lines.map((l) => JSON.parse(l) as LogLine).filter((l) => l.level >= 40)).toEqual([]);
      // The test app had no session, and the lookup made none.
      const sessions = await app.core.db.withKysely((k) =>
        k.selectFrom('ui_sessions').select('id').execute(),
      );
      expect(sessions).toEqual([]);
    },
  );
});
