import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService } from '../../src/auth/auth-service.js';
import { DIALECTS } from '../support/backends.js';
import { type AuthBackends, prepareAuthBackends } from './auth-backends.js';

const SALT = 'a-test-pepper-of-thirty-two-bytes!!';
const MIN = 60 * 1000;
const policy = { idleMs: 30 * MIN, absoluteMs: 120 * MIN, rotateAfterMs: 15 * MIN };

let backends: AuthBackends;
beforeAll(async () => {
  backends = await prepareAuthBackends();
});
afterAll(() => backends.cleanup());

/** A trigger that refuses every write to ui_sessions, as a database that cannot take writes just now. */
const REFUSE = {
  sqlite: {
    on: [
      sql`create trigger refuse_update before update on ui_sessions begin select raise(abort, 'database is locked'); end`,
      sql`create trigger refuse_insert before insert on ui_sessions begin select raise(abort, 'database is locked'); end`,
    ],
    off: [sql`drop trigger refuse_update`, sql`drop trigger refuse_insert`],
  },
  postgres: {
    on: [
      sql`create function refuse_write() returns trigger language plpgsql as $$ begin raise exception 'database is locked'; end $$`,
      sql`create trigger refuse_write before insert or update on ui_sessions for each row execute function refuse_write()`,
    ],
    off: [sql`drop trigger refuse_write on ui_sessions`, sql`drop function refuse_write()`],
  },
};

describe.each(DIALECTS)('a session whose touch or rotation cannot be written, on %s', (dialect) => {
  it('still resolves (not signed out) and says why it was not written; the next request catches up', async () => {
    const db = await backends.open(dialect, 'v4.2.2');
    const clock = { t: Date.parse('2026-11-21T10:00:00.000Z') };
    const auth = createAuthService({
      db,
      passwordSalt: SALT,
      sessionPolicy: policy,
      now: () => new Date(clock.t),
    });
    const user = await auth.users.create({ username: 'frank', password: 'frank-password' });
    const { token } = await auth.createSession(user.id);
    const run = (stmts: (typeof REFUSE)['sqlite']['on']) =>
      db.withKysely(async (k) => {
        for (const s of stmts) await s.execute(k);
      });

    await run(REFUSE[dialect].on);
    clock.t += 5 * MIN; // due for a touch
    const untouched = await auth.resolveSession(token);
    expect(untouched?.user.username).toBe('frank');
    expect(String(untouched?.writeError)).toMatch(/database is locked/);
    clock.t += 11 * MIN; // due for rotation too
    const unrotated = await auth.resolveSession(token);
    expect(unrotated?.user.username).toBe('frank');
    expect(unrotated?.rotated).toBeNull();
    expect(unrotated?.writeError).toBeDefined();

    await run(REFUSE[dialect].off);
    const caughtUp = await auth.resolveSession(token);
    expect(caughtUp?.writeError).toBeUndefined();
    expect(caughtUp?.rotated?.token).toBeDefined();
  });
});
