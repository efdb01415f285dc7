// Writes apps/server/openapi.json from the route schemas; with --check, fails when it has drifted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCoreContext } from '@meltano-ui/core';
import { buildServer } from '../src/server.js';

const target = fileURLToPath(new URL('../openapi.json', import.meta.url));
const check = process.argv.includes('--check');

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-'));
fs.writeFileSync(path.join(root, 'meltano.yml'), 'default_environment: dev\n');
try {
  const core = await openCoreContext({ projectRoot: root, env: {} });
  const server = await buildServer({ core, webRoot: null });
  const response = await server.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  const doc = `${JSON.stringify(response.json(), null, 2)}\n`;
  await server.close();
  await core.close();
  if (check) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (current !== doc) {
      process.stderr.write(
        'apps/server/openapi.json is out of date: run `pnpm --filter @meltano-ui/server run openapi`\n',
      );
      process.exit(1);
    }
    process.stdout.write('openapi.json is up to date\n');
  } else {
    fs.writeFileSync(target, doc);
    process.stdout.write(`wrote ${target}\n`);
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
