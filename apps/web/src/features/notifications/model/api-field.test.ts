import { describe, expect, it } from 'vitest';
import { fieldMessage, saveProblem } from './api-field';

/** The shape of the client's ApiError, without loading the client (it reads `document`). */
function apiError(status: number, message: string, details?: Record<string, unknown>) {
  return Object.assign(new Error(message), { status, code: 'invalid_input', details });
}

describe('save problems', () => {
  it('puts core’s named field next to its input, without the config. prefix', () => {
    expect(
      saveProblem(apiError(400, 'config.url must be an http or https URL', { field: 'config.url' })),
    ).toEqual({
      field: 'url',
      message: 'config.url must be an http or https URL',
    });
    expect(saveProblem(apiError(422, 'no channel', { field: 'channel_id' })).field).toBe('channel_id');
  });

  it('reads the field out of a schema check’s message, and leaves the rest form-wide', () => {
    expect(saveProblem(apiError(400, 'body/name must NOT have fewer than 1 characters')).field).toBe('name');
    expect(
      saveProblem(apiError(400, "Unknown webhook config field 'x'", { fields: ['x'] })).field,
    ).toBeNull();
    expect(saveProblem(apiError(499, 'Meltano UI is running in read-only mode')).field).toBeNull();
  });

  it('prefers the form’s own check, then the server’s answer for that field', () => {
    const problem = { field: 'url', message: 'bad url' };
    expect(fieldMessage('url', {}, problem)).toBe('bad url');
    expect(fieldMessage('url', { url: 'required' }, problem)).toBe('required');
    expect(fieldMessage('name', {}, problem)).toBeUndefined();
  });
});
