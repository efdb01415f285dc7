import {
  ACCESS_LEVELS,
  type Access,
  AuthenticationRequiredError,
  accessRefusal,
  type CoreContext,
  isProjectReadonly,
  type Principal,
  type ReadonlyModes,
} from '@meltano-ui/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (core's access policy); every API route declares one. */
    access?: Access;
    /** A public route that still learns who asks (it shows readers more). */
    identifies?: boolean;
    /** The route streams its answer itself (hijacked): it cannot set a rotated session cookie. */
    streams?: boolean;
    /** Its 401 carries `details` saying how one can sign in (`auth_methods`; the identity route). */
    signInDetails?: () => Record<string, unknown>;
  }
  interface FastifyInstance {
    /** Every API route with its declared access, as registered (the access matrix test reads it). */
    routeAccess: RouteAccess[];
  }
}

/** project_readonly as resolved at boot (flags, env) or as meltano.yml/.env say now. */
export async function projectReadonlyNow(core: CoreContext): Promise<boolean> {
  if (core.projectReadonly) return true;
  const snapshot = await core.projectStore.get();
  return snapshot.ok && isProjectReadonly(snapshot.project, core.env);
}

/**
 * Whether the caller holds `access` (no read-only mode considered): for public routes that show more
 * to readers, and for absolute paths only admins see.
 */
export function holdsAccess(core: CoreContext, principal: Principal, access: 'read' | 'admin-read'): boolean {
  const modes = { readonly: false, anonymousReadonly: core.anonymousReadonly, projectReadonly: false };
  return accessRefusal(access, principal, modes) === null;
}

export interface AccessControlOptions {
  /** Routes under this path must declare `config.access`. */
  apiPrefix: string;
  /** Routes under this path (the API docs pages, registered by a plugin) are for readers. */
  docsPrefix: string;
  /** Receives every API route with its access. */
  routeAccess: RouteAccess[];
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/**
 * Enforces each route's declared access before anything else runs (body parsing, validation), so the
 * answer is 401, then 403, then 499 whatever the request holds.
 */
export const accessControl = fp(
  async (fastify: FastifyInstance, opts: AccessControlOptions) => {
    fastify.addHook('onRoute', (route) => {
      if (!route.url?.startsWith(opts.apiPrefix)) return;
      route.config ??= {};
      if (route.config.access === undefined && route.url.startsWith(opts.docsPrefix)) {
        route.config.access = 'read';
      }
      const access = route.config.access;
      if (access === undefined || !ACCESS_LEVELS.includes(access)) {
        throw new Error(`Route ${String(route.method)} ${route.url} declares no valid config.access`);
      }
      for (const method of [route.method].flat()) opts.routeAccess.push({ method, url: route.url, access });
    });

    fastify.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config.access;
      if (access === undefined || access === 'public') return;
      const { core } = fastify;
      const modes: ReadonlyModes = {
        readonly: core.readonly,
        anonymousReadonly: core.anonymousReadonly,
        projectReadonly: access === 'edit-project' ? await projectReadonlyNow(core) : false,
      };
      const refusal = accessRefusal(access, request.principal, modes);
      if (refusal === null) return;
      const details = request.routeOptions.config.signInDetails;
      if (refusal.code === 'authentication_required' && details !== undefined) {
        throw new AuthenticationRequiredError(details());
      }
      throw refusal;
    });
  },
  { name: 'access-control', dependencies: ['authentication'] },
);
