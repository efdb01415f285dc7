import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

// Run 3 is the real v3.9.5 manual-fail run: tap-demo-fail's traceback, then Meltano's failure.
describe.each(DIALECTS)('filtered run log lines (%s)', (dialect) => {
  let app: TestApp;
  let lines: string[];

  beforeAll(async () => {
    app = await startTestApp(dialect, {});
    const file = path.join(
      app.root,
      '.meltano/logs/elt/manual-fail/01a1fc64-438b-7a8f-b559-b1b1b56158d6/elt.log',
    );
    lines = fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
  });
  afterAll(() => app.cleanup());

  const get = (query: string) => app.server.inject({ url: `/api/v1/runs/3/log/lines?${query}` });

  it("keeps the extractor's stderr, numbered as in the whole file", async () => {
    const res = await get('source=extractor&stdio=stderr');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const want = lines.flatMap((text, i) => (/cmd_type=extractor .*stdio=stderr/.test(text) ? [i + 1] : []));
    expect(body.lines.map((l: { line: number }) => l.line)).toEqual(want);
    expect(body.lines[0]).toMatchObject({
      line: 5,
      text: lines[4],
      source: 'extractor',
      stdio: 'stderr',
      level: 'info',
    });
    expect(body).toMatchObject({ run: 3, start: 0, complete: true });
  });

  it("keeps errors: the tap's traceback and Meltano's error records with their continuation lines", async () => {
    const body = (await get('level=error,critical')).json();
    const texts: string[] = body.lines.map((l: { text: string }) => l.text);
    expect(texts.some((t) => t.includes('RuntimeError: HTTP 500') && t.includes('cmd_type=extractor'))).toBe(
      true,
    );
    expect(texts.some((t) => t.startsWith('meltano.core.runner.RunnerError: Extractor failed'))).toBe(true);
    expect(texts.some((t) => t.includes('INFO Emitted record'))).toBe(false);
    expect(body.lines.every((l: { level: string }) => l.level === 'error')).toBe(true);
  });

  it('pages with limit and before, and goes on forward from end', async () => {
    const last = (await get('source=meltano&limit=2')).json();
    expect(last.lines).toHaveLength(2);
    expect(last.complete).toBe(false);
    const older = (await get(`source=meltano&limit=2&before=${last.start}`)).json();
    expect(older.lines.at(-1).line).toBeLessThan(last.lines[0].line);
    const newer = (await get(`source=meltano&after=${last.end}`)).json();
    expect(newer).toMatchObject({ lines: [], complete: true, end: last.end });
  });

  it('refuses bad values with 400, and a run without a log with 404', async () => {
    for (const query of ['level=loud', 'source=extractor,', 'stdio=stdin', 'limit=0', 'before=1&after=1']) {
      const res = await get(query);
      expect(res.statusCode, query).toBe(400);
    }
    expect((await get('before=99999999')).statusCode).toBe(416);
    expect((await app.server.inject({ url: '/api/v1/runs/999999/log/lines' })).statusCode).toBe(404);
  });
});
