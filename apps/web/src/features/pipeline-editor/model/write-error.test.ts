import { describe, expect, it } from 'vitest';
import { writeProblem } from './write-error';

/** The shape of the client's ApiError, without loading the client (it reads `document`). */
function apiError(status: number, code: string, message: string, details?: Record<string, unknown>) {
  return Object.assign(new Error(message), { status, code, details });
}

describe('write problems', () => {
  it('puts a field error next to the field the server names', () => {
    expect(
      writeProblem(apiError(400, 'invalid_input', "There is no job named 'x'", { field: 'job' })),
    ).toMatchObject({ kind: 'field', field: 'job' });
    // Schema validation only names the field in its message.
    expect(
      writeProblem(
        apiError(400, 'invalid_request', 'Invalid body: body/tasks must NOT have fewer than 1 items'),
      ),
    ).toMatchObject({ kind: 'field', field: 'tasks' });
  });

  it('tells a change on disk apart from other conflicts', () => {
    expect(writeProblem(apiError(409, 'schedule_changed', 'changed'))).toMatchObject({ kind: 'changed' });
    expect(writeProblem(apiError(409, 'job_in_use', 'in use', { schedules: ['a', 'b'] }))).toMatchObject({
      kind: 'other',
      blockers: ['a', 'b'],
    });
  });

  it('reports refusals (read-only modes, roles) with the server message', () => {
    const readonly = 'This Meltano project is deployed as read-only (project_readonly is set)';
    expect(writeProblem(apiError(499, 'This Meltano project is deployed as read-only', readonly))).toEqual({
      kind: 'refused',
      field: null,
      message: readonly,
      blockers: [],
    });
    expect(writeProblem(new Error('offline'))).toMatchObject({ kind: 'other', message: 'offline' });
  });
});
