import path from 'node:path';
import {
  actionOfSyscall,
  CoreError,
  FileSystemError,
  fileSystemError,
  ProjectFileError,
  projectErrorView,
  TooManyRequestsError,
} from '@meltano-ui/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { pathShower, textShower } from '../../routes/shown-path.js';

export interface ErrorPayload {
  error: true;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

function body(code: string, message: string, details?: Record<string, unknown>): ErrorPayload {
  return details === undefined ? { error: true, code, message } : { error: true, code, message, details };
}

/** Before the sign-in is known (an error in an earlier hook), the caller counts as anonymous. */
function shownMessage(request: FastifyRequest, message: string): string {
  if (request.principal !== null) return textShower(request)(message);
  return message.split(`${path.resolve(request.server.core.root)}${path.sep}`).join('');
}

/** Names the file as the caller may see it: absolute for admins, relative or bare name for others. */
function sendFileSystemError(request: FastifyRequest, reply: FastifyReply, err: FileSystemError) {
  request.log.warn({ code: err.code, msg: err.message }, 'file system error');
  const shown =
    err.file === null
      ? 'a file'
      : request.principal !== null
        ? pathShower(request)(err.file)
        : path.basename(err.file);
  return reply.status(err.status).send(body(err.code, err.messageNaming(shown), err.details));
}

/**
 * The one mapper from errors to responses: core errors keep their code and status, Fastify's
 * validation and parsing errors become 4xx, anything else is a 500 that says nothing internal.
 */
export const errorHandler = fp(
  async (fastify: FastifyInstance) => {
    fastify.setErrorHandler((err: FastifyError | CoreError | Error, request, reply) => {
      if (
        err instanceof ProjectFileError ||
        (err instanceof CoreError && err.code === 'project_load_failed')
      ) {
        // Quoted file lines may hold secrets and the location is absolute: answer with the masked,
        // project-relative view. core-services logs it once per change, not here per request.
        const { code, message, file, line, column } = projectErrorView(fastify.core.root, err);
        return reply.status(err.status).send(body(code, message, { file, line, column }));
      }
      if (err instanceof FileSystemError) return sendFileSystemError(request, reply, err);
      if (err instanceof CoreError) {
        if (err.status >= 500) request.log.warn({ code: err.code, msg: err.message }, 'core error');
        if (err instanceof TooManyRequestsError) reply.header('Retry-After', String(err.retryAfterSeconds));
        // Messages may name files (the SQLite system database, a file a write could not finish):
        // absolute paths are for admins only.
        return reply.status(err.status).send(body(err.code, shownMessage(request, err.message), err.details));
      }
      const fe = err as FastifyError;
      if (fe.validation) {
        const where = fe.validationContext ?? 'request';
        // Nested closed objects (top-level body keys are named by the unknown-fields hook first). In a
        // union a key of one form is "additional" to the other: that is not an unknown field.
        const union = fe.validation.some((v) => v.keyword === 'anyOf' || v.keyword === 'oneOf');
        const extra = union ? undefined : fe.validation.find((v) => v.keyword === 'additionalProperties');
        const field = (extra?.params as { additionalProperty?: unknown } | undefined)?.additionalProperty;
        if (extra && typeof field === 'string') {
          const at = extra.instancePath.replace(/^\//, '').replaceAll('/', '.');
          const name = `${at === '' ? '' : `${at}.`}${field}`.slice(0, 200);
          return reply
            .status(400)
            .send(body('invalid_request', `Invalid ${where}: unknown field(s): ${name}`));
        }
        return reply.status(400).send(body('invalid_request', `Invalid ${where}: ${fe.message}`));
      }
      if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
        const code = (fe.code ?? 'bad_request').toLowerCase().replace(/^fst_err_(ctp_)?/, '');
        return reply.status(fe.statusCode).send(body(code, fe.message));
      }
      // A full disk, a size limit, a permission or an I/O error on a project or log file: say so with a
      // stable code instead of a 500, naming the file as the caller may see it.
      const system = 'syscall' in err ? fileSystemError(err, actionOfSyscall(err.syscall)) : null;
      if (system !== null) return sendFileSystemError(request, reply, system);
      request.log.error({ err }, 'unhandled error');
      return reply
        .status(500)
        .send(body('internal_error', 'Something went wrong on the server; see its log'));
    });
  },
  { name: 'error-handler' },
);
