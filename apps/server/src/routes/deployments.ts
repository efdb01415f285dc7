import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  checkBranchName,
  comparePromotion,
  createDeploymentService,
  InvalidInputError,
  parseWebhookBody,
  ReadonlyModeError,
  readPushEvent,
  UI_READONLY_MESSAGE,
  verifyGithubSignature,
  WebhookNotConfiguredError,
  workspacesOf,
} from '@meltano-ui/core';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { rateLimitOf } from '../plugins/external/rate-limit.js';
import { errorResponses } from '../schemas/common.js';
import {
  BranchQuery,
  DeployAccepted,
  DeployBody,
  DeploymentList,
  Promotion,
  WebhookAccepted,
  WebhookPong,
  WorkspaceList,
} from '../schemas/deployment.js';

// The server's own 1 MiB: a push event describes at most 20 commits and is a few KiB. (GitHub allows
// up to 25 MB; buffering that much for callers not yet authenticated is not worth it: a push too large
// for the webhook answers 413 in GitHub's delivery log, and "Deploy now" deploys it.)
const WEBHOOK_BODY_LIMIT = 1024 * 1024;
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const rawBodies = new WeakMap<FastifyRequest, Buffer>();

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function requestedBy(request: FastifyRequest): { trigger: 'api' | 'user'; by: string | null } {
  const p = request.principal;
  if (p.kind !== 'user') return { trigger: 'user', by: null };
  return { trigger: p.via === 'token' ? 'api' : 'user', by: p.user.username };
}

/** Deployments of the project checkout from Git (API and GitHub webhook), history and the promotion view. */
export const deploymentRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;
  const deployments = createDeploymentService(core);
  // Read at boot: a malformed ui.workspaces stops the server with the reason, as other settings do.
  const workspaces = workspacesOf(core);
  fastify.addHook('onReady', async () => deployments.start());
  fastify.addHook('onClose', async () => deployments.close());

  const branchOrProblem = async () => {
    try {
      return { branch: await deployments.branch(), problem: null };
    } catch (err) {
      return { branch: null, problem: err instanceof Error ? err.message : String(err) };
    }
  };

  fastify.get(
    '/deployments',
    {
      config: { access: 'read' },
      schema: {
        tags: ['deployments'],
        summary: 'Deployment history, newest first, and whether deployments can run here',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          before: Type.Optional(
            Type.String({ format: 'date-time', description: 'created_at of the last one seen' }),
          ),
        }),
        response: { 200: DeploymentList, ...errorResponses(400, 503) },
      },
    },
    async (request) => ({
      deployments: await deployments.list(request.query.limit ?? 50, request.query.before),
      ...(await branchOrProblem()),
      remote: deployments.settings.remote,
      webhook_configured: deployments.settings.secret !== null,
    }),
  );

  fastify.get(
    '/deployments/compare',
    {
      config: { access: 'read', rateLimit: rateLimitOf(fastify.rateLimits.gitFetch) },
      schema: {
        tags: ['deployments'],
        summary:
          "What promoting this workspace's branch to `branch` would bring (after a fetch): the commits on " +
          'this branch not on `branch`, and the diff of meltano.yml, included files and lock files',
        querystring: BranchQuery,
        response: { 200: Promotion, ...errorResponses(400, 409, 429, 503) },
      },
    },
    async (request) => {
      const target = checkBranchName(request.query.branch);
      return comparePromotion({
        root: core.root,
        remote: deployments.settings.remote,
        branch: await deployments.branch(),
        target,
      });
    },
  );

  fastify.get(
    '/deployments/:id',
    {
      config: { access: 'read' },
      schema: {
        tags: ['deployments'],
        summary: 'One deployment with its log (poll while it is queued or running)',
        params: IdParams,
        response: { 200: Type.Ref('DeploymentDetail'), ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => deployments.get(request.params.id),
  );

  fastify.post(
    '/deployments',
    {
      config: { access: 'deploy' },
      bodyLimit: 4 * 1024,
      schema: {
        tags: ['deployments'],
        summary:
          'Deploy the branch tip (or `commit`, which must be on the branch): queued, run one at a time; ' +
          'the same commit queued or running already is returned instead (`deduplicated`)',
        body: DeployBody,
        response: { 202: DeployAccepted, ...errorResponses(400, 401, 403, 409, 499, 503) },
      },
    },
    async (request, reply) => {
      const { trigger, by } = requestedBy(request);
      const queued = await deployments.request({
        trigger,
        commit: request.body?.commit ?? null,
        requestedBy: by,
      });
      return reply.status(202).send(queued);
    },
  );

  fastify.get(
    '/workspaces',
    {
      config: { access: 'read' },
      schema: {
        tags: ['deployments'],
        summary: 'The other stages of this project (ui.workspaces) and the branch this one deploys',
        response: { 200: WorkspaceList, ...errorResponses(503) },
      },
    },
    async () => ({ branch: (await branchOrProblem()).branch, workspaces }),
  );

  // The webhook reads its body as bytes: the signature is over exactly what GitHub sent.
  await fastify.register(async (hook) => {
    hook.removeAllContentTypeParsers();
    // The bytes are kept beside the request, not as its body: the generic body checks (input-text) walk
    // a body's entries, which for a Buffer would be one per byte.
    hook.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
      (req, body, done) => {
        rawBodies.set(req, body as Buffer);
        done(null, null);
      },
    );
    hook.post(
      '/deployments/github-webhook',
      {
        // No session, no browser: the signature is the authentication (and the CSRF check's exemption).
        config: { access: 'public', signedWebhook: true, rateLimit: rateLimitOf(fastify.rateLimits.webhook) },
        bodyLimit: WEBHOOK_BODY_LIMIT,
        schema: {
          tags: ['deployments'],
          summary:
            'GitHub webhook (push events), authenticated by X-Hub-Signature-256 over the exact body with ' +
            'ui.deploy.secret: ping → 200, a push to this branch → 202 queued, other events or branches → 202 ignored',
          headers: Type.Object({
            'x-hub-signature-256': Type.Optional(Type.String({ maxLength: 200 })),
            'x-github-event': Type.Optional(Type.String({ maxLength: 100 })),
            'x-github-delivery': Type.Optional(Type.String({ maxLength: 100 })),
          }),
          response: {
            200: WebhookPong,
            202: WebhookAccepted,
            ...errorResponses(400, 401, 404, 409, 413, 415, 429, 499, 503),
          },
        },
      },
      async (request, reply) => {
        const secret = deployments.settings.secret;
        if (secret === null) throw new WebhookNotConfiguredError();
        const body = rawBodies.get(request) ?? Buffer.alloc(0);
        verifyGithubSignature(secret, body, header(request, 'x-hub-signature-256'));
        if (core.readonly) throw new ReadonlyModeError(UI_READONLY_MESSAGE);
        const event = header(request, 'x-github-event');
        if (event === undefined || event === '')
          throw new InvalidInputError('The X-GitHub-Event header is missing');
        const delivery = header(request, 'x-github-delivery') ?? null;
        const outcome = await deployments.webhook(event, delivery, () =>
          readPushEvent(parseWebhookBody(body, header(request, 'content-type'))),
        );
        request.log.info(
          { event: 'deploy_webhook', github_event: event.slice(0, 50), delivery, outcome: outcome.kind },
          'GitHub webhook delivery',
        );
        if (outcome.kind === 'pong') return reply.status(200).send({ event: 'ping', message: 'pong' });
        if (outcome.kind === 'ignored') {
          return reply.status(202).send({
            status: 'ignored',
            reason: outcome.reason,
            deployment: outcome.deployment,
            deduplicated: false,
          });
        }
        return reply.status(202).send({
          status: outcome.deployment.status === 'running' ? 'running' : 'queued',
          reason: null,
          deployment: outcome.deployment,
          deduplicated: outcome.deduplicated,
        });
      },
    );
  });
};
