import type { Project } from '@meltano-ui/core';
import type { FastifyInstance } from 'fastify';

/**
 * The current project, or the load error (file, line, column) thrown for the error handler. `fresh`
 * checks the files now rather than at most once a second (see ProjectStore.get).
 */
export async function loadedProject(
  fastify: FastifyInstance,
  opts: { fresh?: boolean } = {},
): Promise<Project> {
  const snapshot = await fastify.core.projectStore.get(opts);
  if (!snapshot.ok) throw snapshot.error;
  return snapshot.project;
}

/** Re-reads the project after a write, so what is read next (a list, a run, an install) includes it. */
export async function reloadProject(fastify: FastifyInstance): Promise<void> {
  await fastify.core.projectStore.get({ fresh: true });
}
