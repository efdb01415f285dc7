import type { CoreContext } from '@meltano-ui/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Core's services (project, system DB, logs), built once at boot by the launcher. */
    core: CoreContext;
  }
}

/** Decorates the instance with the core context; the launcher owns it, so closing it is theirs too. */
export const coreServices = fp(
  async (fastify: FastifyInstance, opts: { core: CoreContext }) => {
    fastify.decorate('core', opts.core);
  },
  { name: 'core-services' },
);
