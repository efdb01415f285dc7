import { describe, expect, it } from 'vitest';
import { referenceHint } from './env-references';

describe('referenceHint', () => {
  it('says whether a variable is set and where, never a value', () => {
    expect(referenceHint({ name: 'TAP_ORBIT_API_KEY', is_set: true, source: 'dotenv', secret: true })).toBe(
      'set in .env (a secret: its value is never shown)',
    );
    expect(referenceHint({ name: 'PATH', is_set: true, source: 'process_env', secret: false })).toBe(
      'set in the server’s environment',
    );
    expect(referenceHint({ name: 'NOPE', is_set: false, source: null, secret: false })).toBe('not set');
  });
});
