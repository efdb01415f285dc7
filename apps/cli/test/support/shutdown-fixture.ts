import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyWritable } from '../../../../test-fixtures/fixture-locations.mjs';

const FIXTURE = fileURLToPath(
  new URL('../../../../test-fixtures/real-meltano/v3.9.5/project/', import.meta.url),
);
/** The log of run 15 (a RUNNING row of the fixture), grown so never-reading clients fill every buffer. */
export const RUN_15_LOG =
  '.meltano/logs/elt/devtap-demo-slow-to-target-demo/01a1fc6c-03a9-706a-8239-cbc659a19680/elt.log';

/** A writable copy of the Meltano 3.9 fixture whose run-15 log is 64 MiB. */
export function shutdownProject(prefix: string): string {
  const root = copyWritable(FIXTURE, prefix);
  const line = `${'2026-11-21T04:45:07.000000Z [info     ] a line of a long extract'.padEnd(127, '.')}\n`;
  fs.appendFileSync(path.join(root, RUN_15_LOG), line.repeat(64 * 8192));
  return root;
}

/** A browser-like live-log reader caught up with the end of run 15's log; `until` reads to a needle. */
export async function caughtUpReader(url: string, root: string) {
  const size = fs.statSync(path.join(root, RUN_15_LOG)).size;
  const res = await fetch(`${url}api/v1/runs/15/log/stream?offset=${size}`);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const state = { received: '' };
  const until = async (needle: string) => {
    while (!state.received.includes(needle)) {
      const { value, done } = await reader.read();
      if (done) return;
      state.received += new TextDecoder().decode(value);
    }
  };
  await until('event: run');
  return { until, received: () => state.received };
}
