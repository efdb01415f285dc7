// A meltano.yml with 2,000 ELT schedules in the one file, on the built UI (`meltano ui`, authentication
// on, an admin signed in): spawn → the first 200 from the pipelines list (GET /api/v1/schedules) and the
// list's latency one request after another, against `yaml` (the parser core uses) parsing the same file
// in this process; then edit-and-save of one schedule's interval as the schedule editor sends it
// (PATCH /api/v1/schedules/{name} with If-Match, the interval alternating), against a parse + stringify
// of the file with yaml's Document API in this process. The file is checked afterwards: it parses and
// holds 2,000 schedules, the edited one with the last interval.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { openSystemDb } from '@meltano-ui/meltano-standin';
import { request } from 'undici';
import { writeSingleFileProject } from './lib/big-project.js';
import { type Latencies, percentiles, sequentialLatency } from './lib/load.js';
import { pick } from './lib/options.js';
import { report } from './lib/report.js';
import { addUser, requireBuild, uiEnv } from './lib/servers.js';
import { coldAnswer, earlierVisit } from './lib/ui-boot.js';

const SCHEDULES = 2000;
const REQUESTS = pick(50, 20);
const EDITS = pick(20, 10);
const WARM_UP = 2;
const INTERVALS = ['0 3 * * *', '*/30 * * * *'];
const ADMIN = { username: 'bench-admin', password: 'bench-admin-password' };

// yaml is core's dependency, not the bench's: borrowed, with the little typing used.
interface YamlDocument {
  setIn(path: unknown[], value: unknown): void;
  toString(): string;
}
const yaml = createRequire(new URL('../packages/core/package.json', import.meta.url))('yaml') as {
  parse(text: string): unknown;
  parseDocument(text: string): YamlDocument;
};

requireBuild();

function timed(times: number, fn: (i: number) => void): Latencies {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    fn(i);
    ms.push(performance.now() - t);
  }
  return percentiles(ms);
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-schedules-2000-'));
const env = uiEnv();
try {
  const names = writeSingleFileProject(root, SCHEDULES);
  const file = path.join(root, 'meltano.yml');
  const text = fs.readFileSync(file, 'utf8');
  await openSystemDb(`sqlite:///${path.join(root, '.meltano', 'meltano.db')}`).close(); // Meltano's tables, no runs
  addUser(root, env, ADMIN.username, ADMIN.password, 'admin');
  const { cookie } = await earlierVisit(root, env, ADMIN, '/api/v1/schedules');

  timed(WARM_UP, () => yaml.parse(text));
  const parse = timed(REQUESTS, () => yaml.parse(text));
  const index = Math.floor(SCHEDULES / 2);
  let edited = text;
  const editAt = (i: number) => {
    const doc = yaml.parseDocument(edited);
    doc.setIn(['schedules', index, 'interval'], INTERVALS[i % INTERVALS.length]);
    edited = doc.toString();
  };
  timed(WARM_UP, editAt);
  const rewrite = timed(EDITS, editAt);
  console.log(
    `meltano.yml: ${SCHEDULES} schedules, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB; ` +
      `yaml.parse p50 ${parse.p50.toFixed(1)} ms, parseDocument + toString p50 ${rewrite.p50.toFixed(1)} ms`,
  );

  const cold = await coldAnswer(root, env, '/api/v1/schedules', cookie);
  const { ui } = cold;
  try {
    const listed = (JSON.parse(cold.body) as { schedules: unknown[] }).schedules.length;
    if (listed !== SCHEDULES) throw new Error(`the list holds ${listed} schedules`);
    console.log(
      `health after ${cold.healthMs.toFixed(0)} ms, the first list ${cold.firstMs.toFixed(0)} ms later ` +
        `(${(Buffer.byteLength(cold.body) / 1024).toFixed(0)} KiB)`,
    );
    report({
      name: `${SCHEDULES} schedules in meltano.yml: spawn → first 200 from GET /api/v1/schedules`,
      value: cold.healthMs + cold.firstMs,
      unit: 'ms',
      better: 'lower',
      baseline: { name: 'yaml.parse of the file', value: parse.p50 },
    });
    const headers = { cookie };
    await sequentialLatency(`${ui.url}/api/v1/schedules`, WARM_UP, headers);
    const list = await sequentialLatency(`${ui.url}/api/v1/schedules`, REQUESTS, headers);
    for (const q of ['p50', 'p99'] as const) {
      report({
        name: `${SCHEDULES} schedules in meltano.yml: GET /api/v1/schedules ${q} (${list.count} sequential)`,
        value: list[q],
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'yaml.parse of the file', value: parse[q] },
      });
    }

    // As the schedule editor does: the form's GET gives the version, each save answers the next one.
    const name = names[index]!;
    const url = `${ui.url}/api/v1/schedules/${encodeURIComponent(name)}`;
    const form = await request(url, { headers });
    let version = ((await form.body.json()) as { version: string }).version;
    const save = async (interval: string): Promise<number> => {
      const t = performance.now();
      const res = await request(url, {
        method: 'PATCH',
        headers: {
          cookie,
          'content-type': 'application/json',
          'x-requested-with': 'XMLHttpRequest',
          origin: ui.url,
          'if-match': version,
        },
        body: JSON.stringify({ interval }),
      });
      const answer = (await res.body.json()) as { version: string };
      const ms = performance.now() - t;
      if (res.statusCode !== 200) {
        throw new Error(`PATCH ${name} answered ${res.statusCode}: ${JSON.stringify(answer)}`);
      }
      version = answer.version;
      return ms;
    };
    for (let i = 0; i < WARM_UP; i++) await save(INTERVALS[i % INTERVALS.length]!);
    const saves: number[] = [];
    for (let i = 0; i < EDITS; i++) saves.push(await save(INTERVALS[i % INTERVALS.length]!));
    const edit = percentiles(saves);
    for (const q of ['p50', 'p99'] as const) {
      report({
        name: `${SCHEDULES} schedules in meltano.yml: edit-and-save of one interval (PATCH /api/v1/schedules/{name}) ${q} (${edit.count} sequential)`,
        value: edit[q],
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'yaml parseDocument + toString', value: rewrite[q] },
        target: '< 100 ms',
      });
    }

    const last = INTERVALS[(EDITS - 1) % INTERVALS.length];
    const saved = yaml.parse(fs.readFileSync(file, 'utf8')) as {
      schedules: { name: string; interval: string }[];
    };
    const entry = saved.schedules.find((s) => s.name === name);
    if (saved.schedules.length !== SCHEDULES || entry?.interval !== last) {
      throw new Error(
        `after the edits meltano.yml holds ${saved.schedules.length} schedules, ${name} at ${entry?.interval} (expected ${last})`,
      );
    }
    console.log(`checked: meltano.yml parses, ${SCHEDULES} schedules, ${name} at '${last}'`);
    if (ui.errorLineCount > 0) console.log(`server error lines:\n${ui.errorLines.join('\n')}`);
  } finally {
    await ui.stop(10_000);
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(env.HOME!, { recursive: true, force: true });
}
