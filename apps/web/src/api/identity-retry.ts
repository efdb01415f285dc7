/** The status and details of an ApiError, read without importing the client (it needs a document). */
function answer(error: Error): { status?: unknown; details?: Record<string, unknown> } {
  return error as Error & { status?: unknown; details?: Record<string, unknown> };
}

/**
 * A 503 means the server could not check the session just now (database busy or down): not signed
 * out, so ask again after its Retry-After, a few times. A 401 is an answer and is not retried.
 */
export function retryUnavailable(failures: number, error: Error): boolean {
  return answer(error).status === 503 && failures < 3;
}

/** The server's Retry-After (details.retry_after_seconds), at most 30 s; 2 s when it gave none. */
export function retryAfterMs(_failures: number, error: Error): number {
  const seconds = Number(answer(error).details?.retry_after_seconds);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : 2000;
}
