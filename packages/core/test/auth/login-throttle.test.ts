import { describe, expect, it } from 'vitest';
import { createLoginThrottle, TooManyAttemptsError } from '../../src/auth/login-throttle.js';

describe('login throttle', () => {
  const rules = { perUsername: { limit: 3, windowMs: 10_000 }, perIp: { limit: 5, windowMs: 10_000 } };

  it('refuses a user name after its failures, until the oldest ages out', () => {
    let t = 0;
    const throttle = createLoginThrottle(rules, () => t);
    for (let i = 0; i < 3; i++) {
      throttle.check('Alice', '10.0.0.1');
      throttle.failed('Alice', `10.0.0.${i}`);
      t += 1000;
    }
    const refused = (() => {
      try {
        throttle.check('alice', '10.0.0.9');
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toBeInstanceOf(TooManyAttemptsError);
    expect((refused as TooManyAttemptsError).retryAfterSeconds).toBe(7);
    expect((refused as TooManyAttemptsError).status).toBe(429);
    t = 10_001;
    expect(() => throttle.check('alice', '10.0.0.9')).not.toThrow();
  });

  it('refuses an IP trying many user names; a success clears only the user name', () => {
    const t = 0;
    const throttle = createLoginThrottle(rules, () => t);
    for (let i = 0; i < 5; i++) throttle.failed(`user${i}`, '192.0.2.1');
    expect(() => throttle.check('someone', '192.0.2.1')).toThrow(TooManyAttemptsError);
    expect(() => throttle.check('someone', '192.0.2.2')).not.toThrow();
    throttle.failed('bob', '192.0.2.3');
    throttle.failed('bob', '192.0.2.3');
    throttle.succeeded('bob');
    throttle.failed('bob', '192.0.2.3');
    expect(() => throttle.check('bob', '192.0.2.4')).not.toThrow();
  });
});
