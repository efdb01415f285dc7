import {
  type CoreContext,
  createMeltanoRuntime,
  createPipelineLauncher,
  type MeltanoRuntime,
  type PipelineLauncher,
  type PipelineLauncherOptions,
  type ProjectSnapshot,
  projectErrorView,
} from '@meltano-ui/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Core's services (project, system DB, logs), built once at boot by the launcher. */
    core: CoreContext;
    /** Starts, watches and cancels the pipeline runs this server launches. */
    launcher: PipelineLauncher;
    /** Whether the Meltano CLI runs and its version, asked at boot and kept fresh. */
    meltanoRuntime: MeltanoRuntime;
  }
}

export interface CoreServicesOptions {
  core: CoreContext;
  launcher?: PipelineLauncherOptions;
}

/** Decorates the instance with the core context (owned by the caller) and the run launcher. */
export const coreServices = fp(
  async (fastify: FastifyInstance, opts: CoreServicesOptions) => {
    fastify.decorate('core', opts.core);
    // Asked now, not on the first page load; `listen` does not wait for it.
    // buildServer makes it on the root (the launcher prints it); the app alone (tests) makes its own.
    if (!fastify.hasDecorator('meltanoRuntime')) {
      const runtime = createMeltanoRuntime(opts.core);
      fastify.decorate('meltanoRuntime', runtime);
      fastify.addHook('onClose', async () => runtime.close());
    }
    const launcher = createPipelineLauncher(opts.core, opts.launcher);
    fastify.decorate('launcher', launcher);
    // Joins the replicas on the system DB (heartbeat, cancel requests), and runs that ended while the
    // server was down get their exit recorded; a DB that is not there yet (or down) is not a reason to
    // stop booting.
    void launcher.open().catch((err: unknown) => {
      const reason = err instanceof Error ? err.message : String(err);
      const code = (err as { code?: unknown } | null)?.code;
      fastify.log.warn(
        { event: 'reconcile_failed', ...(code === undefined ? {} : { code: String(code) }), reason },
        'could not record the end of runs that finished while the server was down',
      );
    });
    fastify.addHook('onClose', () => launcher.close());
    logProjectErrors(fastify, opts.core);
  },
  { name: 'core-services' },
);

/**
 * A broken project file is logged once when it breaks (masked, paths relative) and once when it parses
 * again, not on every request or readiness probe that meets it.
 */
function logProjectErrors(fastify: FastifyInstance, core: CoreContext): void {
  let logged: string | null = null;
  const report = (snapshot: ProjectSnapshot) => {
    if (snapshot.ok) {
      if (logged !== null) fastify.log.info('project files parse again');
      logged = null;
      return;
    }
    const view = projectErrorView(core.root, snapshot.error);
    const key = JSON.stringify(view);
    if (key === logged) return;
    logged = key;
    const { code, file, line, column, message } = view;
    fastify.log.warn({ code, file, line, column }, `project files do not load: ${message}`);
  };
  const unsubscribe = core.projectStore.onLoad(report);
  fastify.addHook('onReady', async () => report(await core.projectStore.get()));
  fastify.addHook('onClose', async () => unsubscribe());
}
