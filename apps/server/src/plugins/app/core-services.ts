import { type CoreContext, createPipelineLauncher, type PipelineLauncher } from '@meltano-ui/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Core's services (project, system DB, logs), built once at boot by the launcher. */
    core: CoreContext;
    /** Starts, watches and cancels the pipeline runs this server launches. */
    launcher: PipelineLauncher;
  }
}

export interface CoreServicesOptions {
  core: CoreContext;
  launcher?: { cancelGraceMs?: number; earlyExitWaitMs?: number };
}

/** Decorates the instance with the core context (owned by the caller) and the run launcher. */
export const coreServices = fp(
  async (fastify: FastifyInstance, opts: CoreServicesOptions) => {
    fastify.decorate('core', opts.core);
    const launcher = createPipelineLauncher(opts.core, opts.launcher);
    fastify.decorate('launcher', launcher);
    // Runs that ended while the server was down get their exit recorded; a DB that is not there yet
    // (or down) is not a reason to stop booting.
    void launcher.reconcile().catch((err: unknown) => {
      const reason = err instanceof Error ? err.message : String(err);
      const code = (err as { code?: unknown } | null)?.code;
      fastify.log.warn(
        { event: 'reconcile_failed', ...(code === undefined ? {} : { code: String(code) }), reason },
        'could not record the end of runs that finished while the server was down',
      );
    });
    fastify.addHook('onClose', async () => launcher.close());
  },
  { name: 'core-services' },
);
