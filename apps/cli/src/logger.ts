import type { CoreContext } from '@meltano-ui/core';
import { pinoLevelOf, type ServerLogOptions } from '@meltano-ui/server';

/**
 * The server's log: Meltano's cli.log_level (`MELTANO_CLI_LOG_LEVEL`, .env or meltano.yml) as the
 * level; colourised one-line records when a person watches a terminal, JSON lines for machines.
 */
export function createLogger(core: CoreContext): ServerLogOptions {
  const level = pinoLevelOf(String(core.settings['cli.log_level'].value ?? 'info'));
  return { level, pretty: process.stdout.isTTY === true };
}
