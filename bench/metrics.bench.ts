// The pipeline series of GET /api/v1/metrics at size, on the built UI (`meltano ui`,
// ui.metrics_enabled on, scraped from this machine as a local Prometheus would): 500 schedules over
// 1,000,000 runs (100,000 with --quick), on SQLite then PostgreSQL. The first scrape after the pipelines
// list warmed the run summary (the reader's first look, its last-success lookups and streams query), then
// REQUESTS scrapes one after another; against the same server's health route.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBigProject } from './lib/big-project.js';
import {
  createScratchPostgres,
  fillPostgresSystemDb,
  fillSqliteSystemDb,
  spreadRuns,
} from './lib/big-system-db.js';
import { percentiles, sequentialLatency, timedGet } from './lib/load.js';
import { pick } from './lib/options.js';
import { report } from './lib/report.js';
import { requireBuild, startUi, uiEnv } from './lib/servers.js';

const SCHEDULES = 500;
const RUNS = pick(1_000_000, 100_000);
const REQUESTS = pick(200, 50);
const runsLabel = RUNS >= 1_000_000 ? `${RUNS / 1_000_000}M runs` : `${RUNS / 1000}k runs`;

requireBuild();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-metrics-'));

async function measure(dialect: string, databaseUri: string): Promise<void> {
  // Authentication off: the bench asks from loopback, which the metrics route lets in without a token.
  const env = uiEnv({
    MELTANO_DATABASE_URI: databaseUri,
    MELTANO_UI_AUTHENTICATION: 'false',
    MELTANO_UI_METRICS_ENABLED: 'true',
  });
  const ui = await startUi(root, env);
  const label = `${dialect}, ${SCHEDULES} schedules, ${runsLabel}`;
  try {
    const api = `${ui.url}/api/v1`;
    // The run summary's first pass (at boot) is the pipelines list's cost, measured in pipelines.bench.
    await timedGet(`${api}/schedules`);
    const firstMs = await timedGet(`${api}/metrics`);
    const text = await (await fetch(`${api}/metrics`)).text();
    const up = /^meltano_ui_pipeline_metrics_up (\d)/m.exec(text)?.[1];
    const series = text.split('\n').filter((l) => l.startsWith('meltano_pipeline_')).length;
    const read = Number(/^meltano_ui_pipeline_metrics_read_seconds (\S+)/m.exec(text)?.[1]) * 1000;
    if (up !== '1') throw new Error(`${dialect}: pipeline_metrics_up is ${up}`);
    console.log(
      `${dialect}: first scrape ${firstMs.toFixed(0)} ms, ${series} pipeline samples, ` +
        `${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB; the pipeline read of the last one ${read.toFixed(1)} ms`,
    );
    report({ name: `${label}: first GET /api/v1/metrics`, value: firstMs, unit: 'ms', better: 'lower' });
    await sequentialLatency(`${api}/metrics`, 5);
    const scrapes = await sequentialLatency(`${api}/metrics`, REQUESTS);
    const health = await sequentialLatency(`${api}/health`, REQUESTS);
    for (const q of ['p50', 'p99'] as const) {
      report({
        name: `${label}: GET /api/v1/metrics ${q} (${scrapes.count} sequential)`,
        value: scrapes[q],
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'health', value: health[q] },
        ...(q === 'p99' ? { target: '< 50 ms' } : {}),
      });
    }
    const reads: number[] = [];
    for (let i = 0; i < 20; i++) {
      const body = await (await fetch(`${api}/metrics`)).text();
      reads.push(Number(/^meltano_ui_pipeline_metrics_read_seconds (\S+)/m.exec(body)?.[1]) * 1000);
    }
    report({
      name: `${label}: pipeline series read per scrape p50 (meltano_ui_pipeline_metrics_read_seconds)`,
      value: percentiles(reads).p50,
      unit: 'ms',
      better: 'lower',
    });
  } finally {
    await ui.stop(10_000);
    fs.rmSync(env.HOME ?? '', { recursive: true, force: true });
  }
}

try {
  const spread = spreadRuns(writeBigProject(root, SCHEDULES));
  const file = path.join(root, '.meltano', 'meltano.db');
  await fillSqliteSystemDb(file, spread, RUNS);
  await measure('SQLite', `sqlite:///${file}`);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const postgres = await createScratchPostgres(`meltano_ui_bench_metrics_${process.pid}`);
  try {
    await fillPostgresSystemDb(postgres.url, spread, RUNS);
    await measure('PostgreSQL', postgres.url);
  } finally {
    await postgres.drop();
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
