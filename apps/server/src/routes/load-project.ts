import type { Project } from '@meltano-ui/core';
import type { FastifyInstance } from 'fastify';

/** The current project, or the load error (file, line, column) thrown for the error handler. */
export async function loadedProject(fastify: FastifyInstance): Promise<Project> {
  const snapshot = await fastify.core.projectStore.get();
  if (!snapshot.ok) throw snapshot.error;
  return snapshot.project;
}
