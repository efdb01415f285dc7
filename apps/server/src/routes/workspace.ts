import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { environmentChoices } from '@meltano-ui/core';
import { Type } from 'typebox';
import { errorResponses, Nullable } from '../schemas/common.js';
import { ActiveEnvironmentFields } from '../schemas/project.js';
import { loadedProject } from './load-project.js';
import { activeEnvironmentFields } from './project.js';

/** Settings of this workspace (one running UI over one project checkout) that every replica shares. */
export const workspaceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;

  fastify.put(
    '/project/active-environment',
    {
      // The UI's own table, not a project file: admins, refused by ui.readonly, allowed by project_readonly.
      config: { access: 'admin-change' },
      schema: {
        tags: ['project'],
        summary:
          'Switch the active environment of this workspace (every pipeline, setting and run started here uses it)',
        body: Type.Object(
          {
            environment: Nullable(
              Type.String({
                minLength: 1,
                maxLength: 200,
                description: 'An environment of the project; null: none',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: ActiveEnvironmentFields, ...errorResponses(400, 404, 423, 503) },
      },
    },
    async (request) => {
      const project = await loadedProject(fastify, { fresh: true });
      const by = request.principal.kind === 'user' ? request.principal.user.username : null;
      const active = await core.workspaceEnvironment.set(
        environmentChoices(project),
        request.body.environment,
        by,
      );
      request.log.info({ environment: active.environment, by }, 'active environment switched');
      return activeEnvironmentFields(active);
    },
  );
};
