import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import { type UiOidcFlowsTable, withAuthDb } from './auth-tables.js';
import { randomToken, tokenHash } from './tokens.js';

/** A sign-in with the OpenID Provider may take this long (login page, consent) before it must restart. */
export const OIDC_FLOW_TTL_MS = 10 * 60 * 1000;

export interface OidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  nextPath: string;
}

/**
 * The ui_oidc_flows table: what a single sign-on must check at its callback, kept server-side and
 * shared by every replica. The browser holds only a random key (in a signed, HttpOnly cookie) whose
 * hash names the row; consuming a flow deletes it, so a callback replayed with the same state fails.
 */
export function createOidcFlowsRepository(tables: UiTables, now: () => Date = () => new Date()) {
  return {
    /** Stores the flow; returns the browser's key to it (for the cookie). */
    async start(flow: OidcFlow): Promise<string> {
      const key = randomToken();
      const t = now().getTime();
      const row: UiOidcFlowsTable = {
        id: tokenHash(key),
        state: flow.state,
        nonce: flow.nonce,
        code_verifier: flow.codeVerifier,
        redirect_uri: flow.redirectUri,
        next_path: flow.nextPath,
        created_at: new Date(t).toISOString(),
        expires_at: new Date(t + OIDC_FLOW_TTL_MS).toISOString(),
      };
      await withAuthDb(tables, (db) => db.insertInto('ui_oidc_flows').values(row).execute());
      return key;
    },

    /** The unexpired flow of `key`, deleted in the same statement (once only, across replicas); else null. */
    async consume(key: string): Promise<OidcFlow | null> {
      const row = await withAuthDb(tables, (db) =>
        db.deleteFrom('ui_oidc_flows').where('id', '=', tokenHash(key)).returningAll().executeTakeFirst(),
      );
      if (row === undefined || Date.parse(row.expires_at) <= now().getTime()) return null;
      return {
        state: row.state,
        nonce: row.nonce,
        codeVerifier: row.code_verifier,
        redirectUri: row.redirect_uri,
        nextPath: row.next_path,
      };
    },

    /** Deletes flows that were never finished; returns how many. */
    async purgeExpired(): Promise<number> {
      const t = now().toISOString();
      const result = await withAuthDb(tables, (db) =>
        db.deleteFrom('ui_oidc_flows').where('expires_at', '<=', t).executeTakeFirst(),
      );
      return Number(result.numDeletedRows);
    },
  };
}
export type OidcFlowsRepository = ReturnType<typeof createOidcFlowsRepository>;
