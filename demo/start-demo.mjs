// `pnpm demo`: generate the demo project, keep one pipeline running, start the UI on port 5000.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STANDIN_BIN } from '@meltano-ui/meltano-standin';
import { generateDemo } from './generate-demo.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = await generateDemo(path.resolve(here, '..', '.demo', 'project'));
process.stdout.write(`Demo project written to ${root}\n`);

// The stand-in (not the real Meltano) keeps `live-orders` running and logging one line a second.
const live = spawn(process.execPath, [STANDIN_BIN, 'schedule', 'run', 'live-orders'], {
  cwd: root,
  env: { ...process.env, STANDIN_MODE: 'hang', STANDIN_DELAY_MS: '1000', MELTANO_JOB_TRIGGER: 'scheduler' },
  stdio: 'ignore',
});

const cli = path.resolve(here, '..', 'apps', 'cli', 'bin', 'meltano.js');
// "Run now" in the demo runs the stand-in too (Python Meltano is not needed for the demo), slowly
// enough that its log visibly streams. Set MELTANO_UI_MELTANO_EXECUTABLE to use a real Meltano.
const ui = spawn(process.execPath, [cli, 'ui', '--project-root', root, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: {
    ...process.env,
    MELTANO_UI_MELTANO_EXECUTABLE: process.env.MELTANO_UI_MELTANO_EXECUTABLE ?? STANDIN_BIN,
    STANDIN_DELAY_MS: process.env.STANDIN_DELAY_MS ?? '400',
    STANDIN_RECORDS: process.env.STANDIN_RECORDS ?? '40',
  },
});

const stop = (signal) => {
  live.kill('SIGTERM');
  ui.kill(signal);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
ui.on('exit', (code) => {
  live.kill('SIGTERM');
  process.exit(code ?? 0);
});
