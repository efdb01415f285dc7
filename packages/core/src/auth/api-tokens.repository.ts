import { randomUUID } from 'node:crypto';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import { type UiApiTokensTable, withAuthDb } from './auth-tables.js';
import { randomToken, tokenHash } from './tokens.js';

/** Prefix of every API token, so secret scanners and people can recognise one. */
export const API_TOKEN_PREFIX = 'mui_';

/** An API token as listed: everything but its hash. */
export type UiApiToken = Omit<UiApiTokensTable, 'token_hash'>;

function view(row: UiApiTokensTable): UiApiToken {
  const { token_hash: _hash, ...rest } = row;
  return rest;
}

/** The ui_api_tokens table: tokens for scripts, hashed at rest, shown once, revocable. */
export function createApiTokensRepository(tables: UiTables, now: () => Date = () => new Date()) {
  return {
    /** `token` is the only time the secret is available; store or show it, then forget it. */
    async create(userId: string, name: string): Promise<{ token: string; apiToken: UiApiToken }> {
      const token = randomToken(API_TOKEN_PREFIX);
      const row: UiApiTokensTable = {
        id: randomUUID(),
        user_id: userId,
        name,
        token_hash: tokenHash(token),
        created_at: now().toISOString(),
        last_used_at: null,
        revoked_at: null,
      };
      await withAuthDb(tables, (db) => db.insertInto('ui_api_tokens').values(row).execute());
      return { token, apiToken: view(row) };
    },

    /** The unrevoked token's row (last_used_at updated); null for an unknown or revoked token. */
    async resolve(token: string): Promise<UiApiToken | null> {
      if (!token.startsWith(API_TOKEN_PREFIX)) return null;
      const hash = tokenHash(token);
      return withAuthDb(tables, async (db) => {
        const row = await db
          .selectFrom('ui_api_tokens')
          .selectAll()
          .where('token_hash', '=', hash)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (row === undefined) return null;
        const last_used_at = now().toISOString();
        await db.updateTable('ui_api_tokens').set({ last_used_at }).where('id', '=', row.id).execute();
        return view({ ...row, last_used_at });
      });
    },

    listForUser(userId: string): Promise<UiApiToken[]> {
      return withAuthDb(tables, async (db) =>
        (
          await db
            .selectFrom('ui_api_tokens')
            .selectAll()
            .where('user_id', '=', userId)
            .orderBy('created_at')
            .execute()
        ).map(view),
      );
    },

    /** Revokes one of the user's tokens; false when the user has no such unrevoked token. */
    async revoke(userId: string, id: string): Promise<boolean> {
      const result = await withAuthDb(tables, (db) =>
        db
          .updateTable('ui_api_tokens')
          .set({ revoked_at: now().toISOString() })
          .where('id', '=', id)
          .where('user_id', '=', userId)
          .where('revoked_at', 'is', null)
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
export type ApiTokensRepository = ReturnType<typeof createApiTokensRepository>;
