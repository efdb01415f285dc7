import { describe, expect, it } from 'vitest';
import { retryAfterMs, retryUnavailable } from './identity-retry';

/** What the API client throws for an error answer. */
const apiError = (status: number, details?: Record<string, unknown>) =>
  Object.assign(new Error('answer'), { status, code: 'x', details });

describe('identity retries', () => {
  const unavailable = apiError(503, { retry_after_seconds: 2 });

  it('asks again after a 503 (the session could not be checked), a few times, after its Retry-After', () => {
    expect(retryUnavailable(0, unavailable)).toBe(true);
    expect(retryUnavailable(2, unavailable)).toBe(true);
    expect(retryUnavailable(3, unavailable)).toBe(false);
    expect(retryAfterMs(0, unavailable)).toBe(2000);
    expect(retryAfterMs(0, apiError(503))).toBe(2000);
  });

  it('takes a 401 as the answer (signed out) and does not retry it', () => {
    expect(retryUnavailable(0, apiError(401))).toBe(false);
    expect(retryUnavailable(0, new Error('network'))).toBe(false);
  });
});
