import type { ApiError } from '../../../lib/api-client';

export interface WriteProblem {
  /**
   * `changed`: someone changed the entity on disk since it was read (409 with `…_changed`);
   * `refused`: read-only modes, roles (401/403/499); `field`: one field is wrong; `other`: the rest.
   */
  kind: 'changed' | 'refused' | 'field' | 'other';
  /** The form field the message belongs next to, when the server named one. */
  field: string | null;
  message: string;
  /** Names of entities that stop the change (a job's schedules). */
  blockers: string[];
}

const FIELD_IN_VALIDATION = /\bbody\/([a-z_]+)/;

/** Reads an API error as the editor shows it: next to a field, as a reload offer, or as a banner. */
export function writeProblem(error: unknown): WriteProblem {
  if (!isApiError(error)) {
    return { kind: 'other', field: null, message: String((error as Error)?.message ?? error), blockers: [] };
  }
  const details = error.details ?? {};
  const blockers = Array.isArray(details.schedules) ? details.schedules.map(String) : [];
  if (error.status === 409 && error.code.endsWith('_changed')) {
    return { kind: 'changed', field: null, message: error.message, blockers };
  }
  if ([401, 403, 499].includes(error.status)) {
    return { kind: 'refused', field: null, message: error.message, blockers };
  }
  // Core names the field; the schema check (Fastify) only says `body/<field> must …` in its message.
  const field =
    typeof details.field === 'string'
      ? details.field
      : error.status === 400
        ? (FIELD_IN_VALIDATION.exec(error.message)?.[1] ?? null)
        : null;
  return { kind: field ? 'field' : 'other', field, message: error.message, blockers };
}

// Duck-typed rather than `instanceof`, so this stays a pure module (the client reads `document` on load).
function isApiError(error: unknown): error is ApiError {
  return (
    error instanceof Error &&
    typeof (error as Partial<ApiError>).status === 'number' &&
    typeof (error as Partial<ApiError>).code === 'string'
  );
}
