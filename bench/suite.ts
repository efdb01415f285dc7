// `pnpm bench`: every bench in this folder (except the soak, which is its own command), one after
// another in child processes, on the production build; their FIGURE lines gathered into one table.
//   pnpm bench                 # all of them
//   pnpm bench --quick         # shorter runs, smaller data
//   pnpm bench health log      # only the benches whose file name contains one of these words
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUICK } from './lib/options.js';
import { requireBuild } from './lib/servers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const words = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const benches = fs
  .readdirSync(HERE)
  .filter((f) => f.endsWith('.bench.ts') && f !== 'soak.bench.ts')
  .filter((f) => words.length === 0 || words.some((w) => f.includes(w)))
  .sort();
if (benches.length === 0) throw new Error(`no bench matches ${words.join(', ')}`);
requireBuild();

interface Outcome {
  bench: string;
  code: number | null;
  seconds: number;
  figures: string[];
}

function run(file: string): Promise<Outcome> {
  const started = performance.now();
  const args = ['--import', 'tsx', path.join(HERE, file), ...(QUICK ? ['--quick'] : [])];
  const child = spawn(process.execPath, args, { cwd: HERE, stdio: ['ignore', 'pipe', 'inherit'] });
  const figures: string[] = [];
  let rest = '';
  child.stdout.on('data', (d: Buffer) => {
    process.stdout.write(d);
    const lines = (rest + d.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('FIGURE ')) figures.push(line.slice('FIGURE '.length));
  });
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      if (rest.startsWith('FIGURE ')) figures.push(rest.slice('FIGURE '.length));
      resolve({ bench: file, code, seconds: (performance.now() - started) / 1000, figures });
    }),
  );
}

const outcomes: Outcome[] = [];
const suiteStarted = performance.now();
for (const file of benches) {
  console.log(`\n=== ${file}${QUICK ? ' (quick)' : ''}`);
  outcomes.push(await run(file));
}

console.log(
  `\n=== figures (${os()}; baselines measured in the same run; ratio ≥ 1 = as good as the baseline)`,
);
for (const o of outcomes) {
  const state = o.code === 0 ? '' : ` — FAILED (exit ${o.code})`;
  console.log(`\n${o.bench} (${o.seconds.toFixed(0)} s)${state}`);
  for (const f of o.figures) console.log(`  ${f}`);
}
console.log(`\nsuite: ${((performance.now() - suiteStarted) / 60_000).toFixed(1)} min`);
if (outcomes.some((o) => o.code !== 0)) process.exitCode = 1;

function os(): string {
  const cpus = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? '?';
  return `${cpus} cores, Node ${process.version}`;
}
