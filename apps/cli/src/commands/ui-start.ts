import { normaliseBasePath, openCoreContext } from '@meltano-ui/core';
import { buildServer, closeServer, UI_VERSION } from '@meltano-ui/server';
import { createLogger } from '../logger.js';
import { settleMemory } from '../settle-memory.js';
import { letYoungGenerationGrow } from '../young-generation.js';
import { healthStatus } from './health-status.js';
import { localUrl, shownUrl } from './shown-url.js';
import { startBanner } from './start-banner.js';

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
  const core = await openCoreContext({
    projectRoot: opts.projectRoot ?? null,
    databaseUri: opts.databaseUri ?? null,
    bindHost: opts.bind ?? null,
    bindPort: parsePort(opts.bindPort),
  });
  // With ui.authentication on, unfit secrets stop the start here (AuthSecretsError says what to run);
  // so does a cli.log_level Meltano would refuse.
  const server = await Promise.resolve()
    .then(() =>
      buildServer({
        core,
        logger: createLogger(core),
        // Collected once, then the young generation may grow again (settle-memory, young-generation).
        onStartupWorkDone: () => void settleMemory().then(letYoungGenerationGrow),
      }),
    )
    .catch(async (err: unknown) => {
      await core.close();
      throw err;
    });
  const host = core.bindHost;
  const warnings: string[] = [];
  if (!core.authentication && !LOOPBACK.has(host)) {
    warnings.push(
      `Authentication is OFF and the UI listens on ${host}: anyone who can reach this port can see the project. ` +
        'Bind to 127.0.0.1 (--bind 127.0.0.1) or turn on ui.authentication.',
    );
  }
  if (core.authentication && !core.settings['ui.server_name'].value) {
    warnings.push(
      "ui.server_name is not set: the UI answers only for this machine's own names and addresses and " +
        'ui.allowed_hosts. Set it (`meltano ui setup <server name>`) when the UI is reachable under a public name.',
    );
  }
  const shutdown = async (signal: string) => {
    server.log.info(`${signal} received, shutting down (runs keep going)`);
    // Live logs are told to reconnect and ended first; a client that never reads cannot hold us.
    await closeServer(server);
    await core.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  // Fastify's own line names the socket, not a URL to open: that is the banner below (ui.server_name).
  await server.listen({
    host,
    port: core.bindPort,
    listenTextResolver: (address) => `Listening on ${address.replace(/^[a-z]+:\/\//, '')}`,
  });
  const address = server.server.address();
  const port = address !== null && typeof address === 'object' ? address.port : core.bindPort;
  // Under ui.base_path everything, the health route included, lives below that path.
  const basePath = normaliseBasePath(
    typeof core.settings['ui.base_path'].value === 'string' ? core.settings['ui.base_path'].value : null,
  );
  const local = localUrl({ bindHost: host, port, basePath });
  const serverName = core.settings['ui.server_name'].value;
  const url = shownUrl({
    serverName: typeof serverName === 'string' ? serverName : null,
    secureCookies: core.settings['ui.session_cookie_secure'].value === true,
    bindHost: host,
    port,
    basePath,
  });
  // Print the URL only once the server answers, so scripts can wait for this line.
  // The health route answers whatever the Host, so this machine's own address can ask it.
  const health = await healthStatus(new URL('api/v1/health', local));
  if (health !== 200) throw new Error(`The server started but ${local}api/v1/health answered ${health}`);
  // The version question started at boot; a slow CLI (a cold venv) does not hold the banner for long.
  const meltano = await server.meltanoRuntime.settled(5_000);
  const database = { kind: core.db.kind, display: core.db.display };
  // Machines reading the JSON log get the same facts in one record, and each warning as its own; a
  // person at a terminal reads them in the banner.
  if (!process.stdout.isTTY) for (const warning of warnings) server.log.warn(warning);
  if (!process.stdout.isTTY)
    server.log.info(
      {
        url,
        listening: local,
        project: core.root,
        database: database.display,
        database_kind: database.kind,
        authentication: core.authentication,
        meltano: { available: meltano.available, version: meltano.version, reason: meltano.reason },
      },
      `Meltano UI is ready at ${url}`,
    );
  process.stdout.write(
    startBanner({
      version: UI_VERSION,
      url,
      project: core.root,
      authentication: core.authentication,
      database,
      meltano,
      warnings,
    }),
  );
}
