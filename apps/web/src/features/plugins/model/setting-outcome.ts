import type { Outcome } from './setting-form';

/** The parts of the client's ApiError this needs; anything else (a network failure) has only a message. */
interface WriteError {
  message: string;
  status?: number;
  code?: string;
  details?: Record<string, unknown>;
}

/**
 * What the server said about one field, in words for the person who tried. A 400 is about the value, so it
 * sits on the field; a 409 asks to reload that one setting (the draft is kept, so nothing typed is lost).
 */
export function failedOutcome(error: WriteError): Outcome & { status: 'failed' } {
  if (error.code === 'setting_changed') {
    return {
      status: 'failed',
      field: false,
      conflict: true,
      message:
        'It was changed elsewhere since this page read it. Reload it to see the current value, then change it again.',
    };
  }
  if (error.code === 'setting_locked') {
    const locked = error.details?.locked as { reason?: string } | null | undefined;
    return {
      status: 'failed',
      field: false,
      conflict: false,
      message: `Locked: ${locked?.reason ?? error.message}`,
    };
  }
  return { status: 'failed', field: error.status === 400, conflict: false, message: error.message };
}
