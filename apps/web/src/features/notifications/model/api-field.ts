/** What a failed save shows: the message, and the form field it belongs next to (if any). */
export interface SaveProblem {
  field: string | null;
  message: string;
}

const FIELD_IN_VALIDATION = /\bbody\/(?:config\/)?([a-z_]+)/;

/**
 * Reads an API error for a notifications form. Core names the field (`details.field`, e.g.
 * `config.url` or `channel_id`); the schema check only says `body/<field> must …` in its message.
 * The `config.` prefix is dropped: the form has one input per config key.
 */
export function saveProblem(error: unknown): SaveProblem {
  const e = error as { status?: unknown; message?: unknown; details?: Record<string, unknown> } | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const named = e?.details?.field;
  if (typeof named === 'string') return { field: named.replace(/^config\./, ''), message };
  if (e?.status === 400 || e?.status === 422) {
    return { field: FIELD_IN_VALIDATION.exec(message)?.[1] ?? null, message };
  }
  return { field: null, message };
}

/** The message for `field`, or none: the field's own check first, then the server's answer. */
export function fieldMessage(
  field: string,
  local: Partial<Record<string, string>>,
  problem: SaveProblem | null,
): string | undefined {
  return local[field] ?? (problem?.field === field ? problem.message : undefined);
}
