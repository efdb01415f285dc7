import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  createStateEdits,
  InvalidInputError,
  InvalidStateError,
  MAX_STATE_BYTES,
  type StateEditOutcome,
  stateFromJsonText,
} from '@meltano-ui/core';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, Nullable } from '../schemas/common.js';
import { StateDetail } from '../schemas/pipeline.js';
import { loadedProject } from './load-project.js';

const StateIdParams = Type.Object({ state_id: Type.String({ minLength: 1, maxLength: 900 }) });

const StateBody = Type.Object(
  {
    state: Type.Object(
      {
        singer_state: Type.Optional(
          Type.Unknown({ description: 'Required: an object (bookmarks, currently_syncing, …)' }),
        ),
      },
      { additionalProperties: true, description: 'Meltano state: `{"singer_state": {…}}`' },
    ),
  },
  { additionalProperties: false },
);

const StateEdit = Type.Object({
  state_id: Type.String(),
  operation: Type.Union([
    Type.Literal('set'),
    Type.Literal('merge'),
    Type.Literal('clear'),
    Type.Literal('copy'),
  ]),
  backend: Type.String({ description: '`systemdb`, or the scheme of state_backend.uri when the CLI did it' }),
  edit_run: Nullable(
    Type.Object(
      { id: Type.Integer(), run_id: Type.String() },
      { description: 'The STATE_EDIT row written in `runs` (none for a clear on Meltano 2.10+)' },
    ),
  ),
  cleared: Nullable(Type.Boolean({ description: 'Clear: whether there was a state to clear' })),
  state: Nullable(StateDetail),
  message: Type.String(),
  output: Nullable(Type.String({ description: 'What `meltano state …` printed, when it ran the edit' })),
});

const ERRORS = errorResponses(400, 404, 409, 413, 415, 422, 499, 502, 503);

/**
 * `meltano state set|merge|clear|copy`, written to the system DB as the CLI writes it, or run with the
 * CLI for other state backends (core's state-writes). Not a project file: allowed under project_readonly.
 */
export const stateWriteRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const edits = createStateEdits(fastify.core);
  const project = () => loadedProject(fastify);

  /**
   * Runs an edit and notes the state before and after it in the audit log (the state the next run
   * resumes from: bookmarks, not secrets); a state larger than AUDITED_STATE_BYTES is noted by size.
   */
  const audited = async (request: FastifyRequest, stateId: string, edit: () => Promise<StateEditOutcome>) => {
    const before = await fastify.core.db.state.get(stateId).catch(() => undefined);
    const outcome = await edit();
    request.audit({
      state_before: before === undefined ? 'unreadable' : auditedState(before?.merged ?? null),
      state_after: auditedState(outcome.state?.merged ?? null),
    });
    return outcome;
  };

  // The state is read from the body's text, not JSON.parse's numbers: a bookmark id above 2^53 or a
  // `1.0` must be stored as sent. JSON.parse still gives the schema checks their body.
  const rawBodies = new WeakMap<FastifyRequest, string>();
  const stateOf = (request: FastifyRequest) => {
    const state = stateFromJsonText(rawBodies.get(request) ?? '');
    if (state === undefined) throw new InvalidStateError('The body must be {"state": {"singer_state": {…}}}');
    return state;
  };
  await fastify.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: MAX_STATE_BYTES + 1024 },
      (request, text, done) => {
        try {
          const body = JSON.parse(text as string);
          rawBodies.set(request, text as string);
          done(null, body);
        } catch {
          done(new InvalidInputError('The body is not valid JSON'), undefined);
        }
      },
    );
    const write = (summary: string) => ({
      config: { access: 'operate' as const },
      bodyLimit: MAX_STATE_BYTES + 1024,
      schema: {
        tags: ['pipelines'],
        summary,
        params: StateIdParams,
        body: StateBody,
        response: { 200: StateEdit, ...ERRORS },
      },
    });
    scope.put(
      '/state/:state_id',
      write(
        'Set the Singer state of a state ID (`meltano state set`): a STATE_EDIT run and the state replaced; refused while it runs',
      ),
      async (request) =>
        audited(request, request.params.state_id, async () =>
          edits.set(await project(), request.params.state_id, stateOf(request)),
        ),
    );
    scope.patch(
      '/state/:state_id',
      write(
        'Merge into the Singer state (`meltano state merge`): merged onto the partial state, the completed state kept',
      ),
      async (request) =>
        audited(request, request.params.state_id, async () =>
          edits.merge(await project(), request.params.state_id, stateOf(request)),
        ),
    );
  });

  fastify.delete(
    '/state/:state_id',
    {
      config: { access: 'operate' },
      schema: {
        tags: ['pipelines'],
        summary:
          'Clear the Singer state (`meltano state clear`): the next run starts from scratch (a full extract)',
        params: StateIdParams,
        response: { 200: StateEdit, ...ERRORS },
      },
    },
    async (request) =>
      audited(request, request.params.state_id, async () =>
        edits.clear(await project(), request.params.state_id),
      ),
  );

  fastify.post(
    '/state/:state_id/copy',
    {
      config: { access: 'operate' },
      bodyLimit: 4 * 1024,
      schema: {
        tags: ['pipelines'],
        summary: 'Copy another state ID’s state onto this one (`meltano state copy`): set(this, get(from))',
        params: StateIdParams,
        body: Type.Object(
          { from: Type.String({ minLength: 1, maxLength: 900, description: 'The state ID to copy from' }) },
          { additionalProperties: false },
        ),
        response: { 200: StateEdit, ...ERRORS },
      },
    },
    async (request) => {
      // A state ID names a pipeline's bookmark, never a secret: the audit log keeps where it came from.
      request.audit({ from: request.body.from });
      return audited(request, request.params.state_id, async () =>
        edits.copy(await project(), request.params.state_id, request.body.from),
      );
    },
  );
};

const AUDITED_STATE_BYTES = 16 * 1024;

/** A state as the audit log keeps it: itself when small, else its size. */
function auditedState(state: unknown): unknown {
  if (state === null) return null;
  const bytes = Buffer.byteLength(JSON.stringify(state));
  return bytes <= AUDITED_STATE_BYTES ? state : { omitted: 'larger than 16 KiB', bytes };
}
