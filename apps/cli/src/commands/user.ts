import {
  type AuthService,
  type CoreContext,
  CoreError,
  createAuthService,
  loadAuthConfig,
  MELTANO_DEFAULT_PASSWORD_SALT,
  openCoreContext,
  type UiUser,
} from '@meltano-ui/core';
import { Command } from 'commander';

interface ProjectOptions {
  projectRoot?: string;
  databaseUri?: string;
}

/** Raised for an expected failure: its message is printed as is, exit code 1. */
class UserCommandError extends Error {}

async function withAuth(
  opts: ProjectOptions,
  fn: (auth: AuthService, core: CoreContext) => Promise<void>,
): Promise<void> {
  const core = await openCoreContext({
    projectRoot: opts.projectRoot ?? null,
    databaseUri: opts.databaseUri ?? null,
  });
  try {
    const config = await loadAuthConfig({ root: core.root, settings: core.settings });
    if (config.secrets.passwordSalt === MELTANO_DEFAULT_PASSWORD_SALT) {
      process.stderr.write(
        "Warning: ui.password_salt is Meltano's published default. Run `meltano ui setup` first: changing " +
          'the salt later makes every password invalid.\n',
      );
    }
    await fn(
      createAuthService({
        db: core.db,
        passwordSalt: config.secrets.passwordSalt,
        legacyPasswordSalt: config.secrets.legacyPasswordSalt,
      }),
      core,
    );
  } catch (err) {
    if (!(err instanceof UserCommandError || err instanceof CoreError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  } finally {
    await core.close();
  }
}

async function addUser(
  auth: AuthService,
  username: string,
  password: string,
  opts: { role: string[]; overwrite?: boolean },
): Promise<void> {
  const fail = (reason: string) => new UserCommandError(`Could not create user '${username}': ${reason}`);
  const known = new Set((await auth.users.roles()).map((r) => r.name));
  const missing = opts.role.find((r) => !known.has(r));
  // Meltano's wording, typo included.
  if (missing !== undefined) throw fail(`Role '${missing}' does not exists.`);
  try {
    const existing = await auth.users.find(username);
    if (existing === null) {
      await auth.users.create({ username, password, roles: opts.role });
      process.stdout.write(`Added user ${username} (${rolesText(opts.role)}).\n`);
      return;
    }
    if (!opts.overwrite) throw fail(`User '${username}' already exists. Use --overwrite to update it.`);
    // As Meltano: the password is set and the role list becomes exactly the -G roles.
    await auth.users.setPassword(existing.id, password);
    await auth.users.setRoles(existing.id, opts.role);
    await auth.users.setActive(existing.id, true);
    process.stdout.write(
      `Updated user ${username} (${rolesText(opts.role)}): new password, active; their sessions ended.\n`,
    );
  } catch (err) {
    if (err instanceof CoreError) throw fail(err.message);
    throw err;
  }
}

const rolesText = (roles: string[]) => (roles.length === 0 ? 'no role' : roles.join(', '));

async function requireUser(auth: AuthService, username: string): Promise<UiUser> {
  const user = await auth.users.find(username);
  if (user === null) throw new UserCommandError(`User '${username}' does not exist.`);
  return user;
}

function table(users: UiUser[]): string {
  const rows = [
    ['USERNAME', 'EMAIL', 'ROLES', 'ACTIVE', 'LAST LOGIN'],
    ...users.map((u) => [
      u.username,
      u.email ?? '-',
      u.roles.join(',') || '-',
      u.active ? 'yes' : 'no',
      u.last_login_at ?? 'never',
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `meltano user …`: manage the UI's users in the project's system database. */
export function userCommand(): Command {
  // Accepted before the subcommand (as Meltano's `meltano user --database-uri URI add`) and after it.
  const withProjectOptions = (cmd: Command) =>
    cmd
      .option(
        '--project-root <dir>',
        'the Meltano project (default: MELTANO_PROJECT_ROOT, else walk up from cwd)',
      )
      .option('--database-uri <uri>', 'system database URI (database_uri, MELTANO_DATABASE_URI)');
  const user = withProjectOptions(
    new Command('user').description("Manage the Meltano UI's users").enablePositionalOptions(),
  );
  const project = (cmd: Command): ProjectOptions => cmd.optsWithGlobals() as ProjectOptions;
  const sub = (name: string) => withProjectOptions(user.command(name));

  sub('add')
    .description('Create a user (or update it with --overwrite)')
    .argument('<username>')
    .argument('<password>')
    .option('-G, --role <role>', 'a role to give (repeatable): admin, regular, viewer', collect, [])
    .option('-f, --overwrite', 'update the user if it exists')
    .action(
      (username: string, password: string, opts: { role: string[]; overwrite?: boolean }, cmd: Command) =>
        withAuth(project(cmd), (auth) => addUser(auth, username, password, opts)),
    );

  sub('list')
    .description('List the users')
    .action((_opts, cmd: Command) =>
      withAuth(project(cmd), async (auth) => {
        const users = await auth.users.list();
        process.stdout.write(users.length === 0 ? 'No users.\n' : `${table(users)}\n`);
      }),
    );

  sub('remove')
    .description('Delete a user with its sessions and API tokens')
    .argument('<username>')
    .action((username: string, _opts, cmd: Command) =>
      withAuth(project(cmd), async (auth) => {
        const found = await requireUser(auth, username);
        await auth.users.remove(found.id);
        process.stdout.write(`Removed user ${found.username} with its sessions and API tokens.\n`);
      }),
    );

  sub('set-password')
    .description("Set a user's password (ends the user's sessions)")
    .argument('<username>')
    .argument('<password>')
    .action((username: string, password: string, _opts, cmd: Command) =>
      withAuth(project(cmd), async (auth) => {
        const found = await requireUser(auth, username);
        await auth.users.setPassword(found.id, password);
        process.stdout.write(`Changed the password of user ${found.username}; their sessions ended.\n`);
      }),
    );
  return user;
}
