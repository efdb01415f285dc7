import type pg from 'pg';
import { loadPg } from './postgres-connection.js';

export interface NotificationListener {
  close(): Promise<void>;
}

export interface PostgresListenerOptions {
  /** First delay before reconnecting after the connection is lost; doubles up to `maxReconnectMs`. */
  reconnectMs?: number;
  maxReconnectMs?: number;
}

/**
 * `LISTEN channel` on a dedicated connection (LISTEN binds to one session, so the pool cannot host it).
 * The connection is re-made whenever it drops (database restarted, backend terminated), with backoff;
 * `onNotify` also runs after every (re)connect, because notifications sent while it was down are lost
 * and the caller must look at what it missed.
 */
export function listenPostgres(
  connectionString: string,
  channel: string,
  onNotify: (payload: string) => void,
  opts: PostgresListenerOptions = {},
): NotificationListener {
  const firstDelay = opts.reconnectMs ?? 500;
  const maxDelay = opts.maxReconnectMs ?? 5000;
  let delay = firstDelay;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const retry = () => {
    if (closed || timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, maxDelay);
  };

  const connect = async () => {
    const pg = await loadPg();
    if (closed) return;
    const c = new pg.Client({
      connectionString,
      application_name: 'meltano-ui-listen',
      connectionTimeoutMillis: 5000,
      // Without keepalives a silently dropped connection (a network partition) would never end.
      keepAlive: true,
    });
    client = c;
    let lost = false;
    const drop = () => {
      if (lost) return;
      lost = true;
      if (client === c) client = null;
      void c.end().catch(() => {});
      retry();
    };
    c.on('error', drop);
    c.on('end', drop);
    c.on('notification', (msg) => {
      if (msg.channel === channel) onNotify(msg.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (closed) {
        await c.end().catch(() => {});
        return;
      }
      delay = firstDelay;
      onNotify('');
    } catch {
      drop();
    }
  };

  void connect();
  return {
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const c = client;
      client = null;
      if (c !== null) await c.end().catch(() => {});
    },
  };
}
