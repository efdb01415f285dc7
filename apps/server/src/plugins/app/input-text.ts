import { InvalidInputError } from '@meltano-ui/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

const MAX_NODES = 100_000;
// A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first string in `value` that PostgreSQL, YAML or a file name could not hold, as a field path. */
function badText(value: unknown, where: string): string | null {
  const stack: [unknown, string][] = [[value, where]];
  for (let seen = 0; stack.length > 0 && seen < MAX_NODES; seen++) {
    const [item, at] = stack.pop() as [unknown, string];
    if (typeof item === 'string') {
      if (item.includes('\u0000') || LONE_SURROGATE.test(item)) return at;
    } else if (Array.isArray(item)) {
      item.forEach((v, i) => {
        stack.push([v, `${at}[${i}]`]);
      });
    } else if (item !== null && typeof item === 'object') {
      for (const [k, v] of Object.entries(item)) stack.push([k, `${at} key`], [v, `${at}.${k}`]);
    }
  }
  return null;
}

/**
 * Text input must be well-formed Unicode without NUL characters, wherever it comes from (path,
 * query, body): PostgreSQL refuses NUL in text ("invalid byte sequence"), lone surrogates become
 * U+FFFD on the way to UTF-8, and neither belongs in a Meltano name, setting or file. Refused here,
 * as a 400 naming the field, rather than deep in a query as a database error.
 */
export const inputText = fp(
  async (fastify: FastifyInstance) => {
    fastify.addHook('preValidation', async (request: FastifyRequest) => {
      const field =
        badText(request.params, 'path') ?? badText(request.query, 'query') ?? badText(request.body, 'body');
      if (field !== null) {
        throw new InvalidInputError(
          `${field} holds a NUL character or malformed Unicode, which is not allowed`,
          {
            field,
          },
        );
      }
    });
  },
  { name: 'input-text' },
);
