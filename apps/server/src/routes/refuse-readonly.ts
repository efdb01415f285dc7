import type { FastifyReply, FastifyRequest } from 'fastify';

/** The old Meltano UI's answer to a change in read-only mode (status 499, the message as the code). */
export const READONLY_CODE = 'Meltano UI is running in read-only mode';

/** preHandler of every unsafe route: `ui.readonly` refuses every change, running and cancelling included. */
export async function refuseWhenReadonly(
  this: { core: { readonly: boolean } },
  _request: FastifyRequest,
  reply: FastifyReply,
) {
  if (this.core.readonly) {
    return reply.status(499).send({ error: true, code: READONLY_CODE, message: READONLY_CODE });
  }
}
