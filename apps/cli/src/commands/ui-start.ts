import { openCoreContext } from '@meltano-ui/core';
import { buildServer } from '@meltano-ui/server';
import { createLogger } from '../logger.js';

export interface UiStartOptions {
  bind?: string;
  bindPort?: string;
  projectRoot?: string;
  databaseUri?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function parsePort(value: string | undefined): number | null {
  if (value === undefined) return null;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--bind-port must be a port number (0-65535), got '${value}'`);
  }
  return port;
}

/** `meltano ui [start]`: read settings, build the server, listen, say where, close on signals. */
export async function uiStart(opts: UiStartOptions): Promise<void> {
  const logger = createLogger();
  const core = await openCoreContext({
    projectRoot: opts.projectRoot ?? null,
    databaseUri: opts.databaseUri ?? null,
    bindHost: opts.bind ?? null,
    bindPort: parsePort(opts.bindPort),
  });
  if (core.authentication) {
    // Serving without the sign-in a user asked for would be worse than not starting.
    await core.close();
    throw new Error(
      'ui.authentication is on, but this version of the Meltano UI cannot sign users in yet (users and passwords ' +
        'are managed with `meltano user`, the web sign-in is still being built). Turn authentication off and ' +
        'keep the UI on 127.0.0.1 or a private network, or put it behind an authenticating reverse proxy.',
    );
  }
  const server = await buildServer({ core, logger });
  const host = core.bindHost;
  if (!core.authentication && !LOOPBACK.has(host)) {
    server.log.warn(
      `Authentication is OFF and the UI listens on ${host}: anyone who can reach this port can see the project. ` +
        'Bind to 127.0.0.1 (--bind 127.0.0.1) or turn on ui.authentication.',
    );
  }
  const shutdown = async (signal: string) => {
    server.log.info(`${signal} received, shutting down (runs keep going)`);
    await server.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await server.listen({ host, port: core.bindPort });
  const address = server.server.address();
  const port = address !== null && typeof address === 'object' ? address.port : core.bindPort;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/`;
  // Print the URL only once the server answers, so scripts can wait for this line.
  const health = await fetch(new URL('api/v1/health', url.replace('localhost', '127.0.0.1')));
  if (!health.ok) throw new Error(`The server started but ${url}api/v1/health answered ${health.status}`);
  server.log.info({ project: core.root, database: core.db.display }, 'Meltano UI is ready');
  process.stdout.write(`Meltano UI is running at ${url} (project ${core.root})\n`);
}
