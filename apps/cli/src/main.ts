// First: it sets how V8 sizes the young generation before the rest of the bundle is evaluated.
import './young-generation.js';
import { Command } from 'commander';
import { delegateToMeltano } from './commands/delegate.js';
import { uiSetup } from './commands/ui-setup.js';
import { uiStart } from './commands/ui-start.js';
import { userCommand } from './commands/user.js';

function uiCommand(): Command {
  const ui = new Command('ui').description('Start the Meltano UI web server').enablePositionalOptions();
  const addStartOptions = (cmd: Command) =>
    cmd
      .option('--bind <host>', 'address to listen on (ui.bind_host, default 0.0.0.0)')
      .option('--bind-port <port>', 'port to listen on (ui.bind_port, default 5000)')
      .option(
        '--project-root <dir>',
        'the Meltano project (default: MELTANO_PROJECT_ROOT, else walk up from cwd)',
      )
      .option('--database-uri <uri>', 'system database URI (database_uri, MELTANO_DATABASE_URI)');
  addStartOptions(ui).action((opts) => uiStart(opts));
  addStartOptions(ui.command('start').description('Start the web server (the default)')).action((opts) =>
    uiStart(opts),
  );
  ui.command('setup')
    .description('Write ui.server_name and fresh ui.secret_key / ui.password_salt to .env')
    .argument('<server_name>')
    .option('--bits <bits>', 'size of each generated secret in bits', '256')
    .option(
      '--project-root <dir>',
      'the Meltano project (default: MELTANO_PROJECT_ROOT, else walk up from cwd)',
    )
    .option('--database-uri <uri>', 'system database URI (database_uri, MELTANO_DATABASE_URI)')
    .action((serverName: string, _opts, cmd: Command) => uiSetup(serverName, cmd.optsWithGlobals()));
  return ui;
}

/** `meltano-ui ARGS` is `meltano ui ARGS`; `meltano user` is ours too; anything else belongs to the Python CLI. */
export async function main(args: string[], opts: { uiOnly: boolean }): Promise<void> {
  if (!opts.uiOnly && args[0] === 'user') {
    try {
      await userCommand().parseAsync(args.slice(1), { from: 'user' });
    } catch (err) {
      process.stderr.write(`meltano user: ${(err as Error).message}\n`);
      process.exitCode = 1;
    }
    return;
  }
  const uiArgs = opts.uiOnly ? args : args[0] === 'ui' ? args.slice(1) : null;
  if (uiArgs === null) {
    if (args.length === 0 || args[0] === '--help' || args[0] === '-h') {
      process.stdout.write(
        'Usage: meltano ui [start] [--bind HOST] [--bind-port PORT] [--project-root DIR] [--database-uri URI]\n' +
          '       meltano ui setup SERVER_NAME [--bits 256]\n' +
          '       meltano user add|list|remove|set-password ...\n',
      );
      process.stdout.write(
        'Every other meltano command is passed to the Python Meltano CLI found on PATH.\n',
      );
      return;
    }
    process.exitCode = await delegateToMeltano(args);
    return;
  }
  try {
    await uiCommand().parseAsync(uiArgs, { from: 'user' });
  } catch (err) {
    process.stderr.write(`meltano ui: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
