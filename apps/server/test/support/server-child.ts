// A second server process on a test app's project (and so its SQLite file): `node --import tsx
// server-child.ts <root> <home>` with the app's environment as JSON in SERVER_CHILD_ENV. Prints the
// port it listens on, then serves until SIGTERM.
import { openCoreContext } from '@meltano-ui/core';
import { buildServer } from '../../src/server.js';

const [root, home] = process.argv.slice(2);
if (root === undefined || home === undefined) throw new Error('usage: server-child.ts <root> <home>');
const env = JSON.parse(process.env.SERVER_CHILD_ENV ?? '{}') as Record<string, string>;
const loose = { limit: 1_000_000, windowMs: 60_000 };
const core = await openCoreContext({
  projectRoot: root,
  databaseUri: null,
  env,
  homeDir: home,
  projectCheckIntervalMs: 0,
});
const server = await buildServer({
  core,
  webRoot: null,
  loginThrottle: { perUsername: loose, perIp: loose },
});
await server.listen({ host: 'localhost', port: 0 });
const address = server.server.address();
process.stdout.write(`${typeof address === 'object' && address !== null ? address.port : ''}\n`);
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => core.close())
    .finally(() => process.exit(0));
});
