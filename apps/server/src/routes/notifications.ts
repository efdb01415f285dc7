import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, Nullable } from '../schemas/common.js';
import {
  ChannelBody,
  ChannelPatchBody,
  DeliveryStatus,
  RuleBody,
  RulePatchBody,
} from '../schemas/notifications.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const tags = ['notifications'];

/**
 * Notification channels, rules and the delivery log (core notifications): admins only, since a
 * channel says where run details go. Bodies are checked by core, which names the field at fault.
 */
export const notificationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const service = fastify.core.notifications;
  const read = { config: { access: 'admin-read' as const } };
  const change = { config: { access: 'admin-change' as const }, bodyLimit: 64 * 1024 };

  fastify.get(
    '/notifications/channels',
    {
      ...read,
      schema: {
        tags,
        summary: 'Where notifications go: webhooks, Slack-compatible webhooks, email (secrets never shown)',
        response: { 200: Type.Object({ channels: Type.Array(Type.Ref('NotificationChannel')) }) },
      },
    },
    async () => ({ channels: await service.listChannels() }),
  );

  fastify.post(
    '/notifications/channels',
    {
      ...change,
      schema: {
        tags,
        summary: 'Add a channel',
        body: ChannelBody,
        response: { 201: Type.Ref('NotificationChannel'), ...errorResponses(400, 401, 403, 499) },
      },
    },
    async (request, reply) => reply.status(201).send(await service.createChannel(request.body)),
  );

  fastify.patch(
    '/notifications/channels/:id',
    {
      ...change,
      schema: {
        tags,
        summary: 'Rename a channel or change its settings ("(redacted)" keeps a secret as it is)',
        params: IdParams,
        body: ChannelPatchBody,
        response: { 200: Type.Ref('NotificationChannel'), ...errorResponses(400, 401, 403, 404, 499) },
      },
    },
    async (request) => service.updateChannel(request.params.id, request.body),
  );

  fastify.delete(
    '/notifications/channels/:id',
    {
      ...change,
      schema: {
        tags,
        summary: 'Remove a channel and its rules',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 499) },
      },
    },
    async (request, reply) => {
      await service.deleteChannel(request.params.id);
      return reply.status(204).send(null);
    },
  );

  fastify.post(
    '/notifications/channels/:id/test',
    {
      ...change,
      schema: {
        tags,
        summary: 'Send a test message through the channel now; the answer is its delivery',
        params: IdParams,
        response: { 200: Type.Ref('NotificationDelivery'), ...errorResponses(401, 403, 404, 499) },
      },
    },
    async (request) => service.testChannel(request.params.id),
  );

  fastify.get(
    '/notifications/rules',
    {
      ...read,
      schema: {
        tags,
        summary: 'Which events of which pipelines go to which channel',
        response: { 200: Type.Object({ rules: Type.Array(Type.Ref('NotificationRule')) }) },
      },
    },
    async () => ({ rules: await service.listRules() }),
  );

  fastify.post(
    '/notifications/rules',
    {
      ...change,
      schema: {
        tags,
        summary: 'Add a rule (it never fires for what happened before it)',
        body: RuleBody,
        response: { 201: Type.Ref('NotificationRule'), ...errorResponses(400, 401, 403, 404, 499) },
      },
    },
    async (request, reply) => reply.status(201).send(await service.createRule(request.body)),
  );

  fastify.patch(
    '/notifications/rules/:id',
    {
      ...change,
      schema: {
        tags,
        summary: 'Change a rule’s events or pipelines, or turn it off',
        params: IdParams,
        body: RulePatchBody,
        response: { 200: Type.Ref('NotificationRule'), ...errorResponses(400, 401, 403, 404, 499) },
      },
    },
    async (request) => service.updateRule(request.params.id, request.body),
  );

  fastify.delete(
    '/notifications/rules/:id',
    {
      ...change,
      schema: {
        tags,
        summary: 'Remove a rule',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 499) },
      },
    },
    async (request, reply) => {
      await service.deleteRule(request.params.id);
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/notifications/deliveries',
    {
      ...read,
      schema: {
        tags,
        summary: 'Every notification sent or being sent, newest first: status, attempts, last error',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          status: Type.Optional(DeliveryStatus),
          channel_id: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref('NotificationDelivery')),
            next_cursor: Nullable(Type.String()),
          }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const { limit, cursor, status, channel_id } = request.query;
      return service.listDeliveries({
        limit: limit ?? 50,
        cursor: cursor ?? null,
        ...(status ? { status } : {}),
        ...(channel_id ? { channel_id } : {}),
      });
    },
  );
};
