/**
 * A test server in its own process, so a test can measure its memory (RSS) and signal it: the
 * v3.9.5 project on SQLite with run 15's elt.log grown to LOG_MIB MiB of log lines. Prints
 * `{"listening": url, "root": dir}` once it answers, then the server's log lines (JSON), on stdout.
 * Run with `node --conditions=source --import tsx`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startTestApp } from './test-app.js';

export const RUN_15_LOG = [
  '.meltano/logs/elt/devtap-demo-slow-to-target-demo',
  '01a1fc6c-03a9-706a-8239-cbc659a19680',
  'elt.log',
].join('/');

const logMib = Number(process.env.LOG_MIB ?? '300');
const stallMs = Number(process.env.STALL_MS ?? '60000');
const lines = { push: (line: string) => process.stdout.write(line) } as unknown as string[];
const app = await startTestApp('sqlite', { logLines: lines, limits: { streamStallTimeoutMs: stallMs } });

const line = '2026-11-21T04:45:07.000000Z [info     ] a line of a long extract, padded to 128 bytes'.padEnd(
  127,
  '.',
);
const block = Buffer.from(`${line}\n`.repeat(8192)); // 1 MiB
const fd = fs.openSync(path.join(app.root, RUN_15_LOG), 'a');
for (let i = 0; i < logMib; i += 1) fs.writeSync(fd, block);
fs.closeSync(fd);

const url = await app.server.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ listening: url, root: app.root })}\n`);
process.once('SIGTERM', () => {
  void app.cleanup().finally(() => process.exit(0));
});
