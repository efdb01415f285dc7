import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ConflictError, createSubscriptionsRepository, type Subscription } from '@meltano-ui/core';
import { Type } from 'typebox';
import { OldAnswer, OldMessage, oldErrors } from './old-errors.js';
import { rfc822 } from './run-fields.js';
import { OLD_UI_TAG } from './tag.js';

// The old model's check, verbatim.
const RECIPIENT = /^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$/;

const SubscriptionObject = Type.Object({
  id: Type.String(),
  recipient: Type.String(),
  event_type: Type.String(),
  source_type: Type.Union([Type.String(), Type.Null()]),
  source_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ description: 'RFC 822, `-0000`' }),
});
const OldRestError = Type.Object({
  message: Type.String(),
  error: Type.Literal(true),
  code: Type.String(),
  status: Type.Integer(),
});

function view(s: Subscription) {
  return {
    id: s.id,
    recipient: s.recipient,
    event_type: s.event_type,
    source_type: s.source_type,
    source_id: s.source_id,
    created_at: rfc822(s.created_at) as string,
  };
}

/**
 * The old "Notify me" subscriptions: kept in the UI's `ui_subscriptions` table (and Meltano 2's own
 * `subscriptions` table where the system DB still has it); ui.notification mails the subscribers of a
 * schedule when a run the UI started ends (core's notifier).
 */
export const compatSubscriptionRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const subscriptions = createSubscriptionsRepository(fastify.core.db, fastify.core.now);

  fastify.get(
    '/orchestrations/subscriptions',
    {
      config: { access: 'read' },
      schema: {
        tags: [OLD_UI_TAG],
        summary: 'Every subscription',
        response: { 200: Type.Array(SubscriptionObject), ...oldErrors(401, 503) },
      },
    },
    async () => (await subscriptions.list()).map(view),
  );

  fastify.post(
    '/orchestrations/subscriptions',
    {
      config: { access: 'operate' },
      schema: {
        tags: [OLD_UI_TAG],
        summary:
          "Subscribe an address to a schedule's runs started from the UI (201; 422 bad address, 409 duplicate)",
        body: Type.Object(
          {
            recipient: Type.String({ maxLength: 255 }),
            event_type: Type.String({ minLength: 1, maxLength: 255 }),
            source_type: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
            source_id: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: {
          201: SubscriptionObject,
          409: OldRestError,
          422: OldRestError,
          ...oldErrors(400, 401, 503),
        },
      },
    },
    async (request, reply) => {
      const { recipient, event_type } = request.body;
      if (!RECIPIENT.test(recipient)) {
        throw new OldAnswer(422, {
          message: 'The request was well-formed but was unable to be followed due to semantic errors.',
          error: true,
          code: 'The subscription could not be created.',
          status: 422,
        });
      }
      try {
        const created = await subscriptions.create({
          recipient,
          event_type,
          source_type: request.body.source_type ?? null,
          source_id: request.body.source_id ?? null,
        });
        request.audit({ recipient, event_type, source_id: created.source_id });
        return reply.status(201).send(view(created));
      } catch (err) {
        if (err instanceof ConflictError) {
          throw new OldAnswer(409, {
            message:
              'A conflict happened while processing the request.  The resource might have been modified while the request was being processed.',
            error: true,
            code: 'A subscription already exists for this address.',
            status: 409,
          });
        }
        throw err;
      }
    },
  );

  fastify.delete(
    '/orchestrations/subscriptions/:id',
    {
      config: { access: 'operate' },
      schema: {
        tags: [OLD_UI_TAG],
        summary: 'Remove a subscription (204; 404 when there is none with that id)',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 204: Type.Null(), 404: OldMessage, ...oldErrors(401, 503) },
      },
    },
    async (request, reply) => {
      if (!(await subscriptions.remove(request.params.id))) {
        throw new OldAnswer(404, { message: `No subscription with id '${request.params.id}'.` });
      }
      request.audit({ id: request.params.id });
      return reply.status(204).send(null);
    },
  );
};
