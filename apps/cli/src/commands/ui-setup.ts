import { CoreError, openCoreContext, setupUi } from '@meltano-ui/core';

export interface UiSetupOptions {
  bits?: string;
  projectRoot?: string;
  databaseUri?: string;
}

/** `meltano ui setup SERVER_NAME [--bits 256]`: Meltano's behaviour and messages (core does the work). */
export async function uiSetup(serverName: string, opts: UiSetupOptions): Promise<void> {
  const bits = opts.bits === undefined ? 256 : Number(opts.bits);
  const core = await openCoreContext({
    projectRoot: opts.projectRoot ?? null,
    databaseUri: opts.databaseUri ?? null,
  });
  try {
    const result = await setupUi({ root: core.root, serverName, bits, settings: core.settings });
    for (const line of result.messages) process.stdout.write(`${line}\n`);
  } catch (err) {
    if (!(err instanceof CoreError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  } finally {
    await core.close();
  }
}
