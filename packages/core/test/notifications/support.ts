import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { SystemDatabase } from '../../src/db/system-database.js';
import { linkBase } from '../../src/notifications/content.js';
import type { LegacyEmail } from '../../src/notifications/legacy-email.js';
import { createNotifications, type NotificationsSetup } from '../../src/notifications/notifications.js';
import { loadProject } from '../../src/project/load-project.js';
import type { Project } from '../../src/project/project.types.js';
import { uiTables } from '../../src/ui-db/migrate-ui-tables.js';
import { prepareScratchDbs, type ScratchDb, type ScratchDbs } from '../runs/scratch-db.js';
import type { TestDialect } from '../support/backends.js';

export const SECRET_KEY = 'a-test-secret-key-of-at-least-32-bytes!!';
export const T0 = Date.parse('2026-11-22T12:00:00.000Z');
export const MIN = 60_000;

const MELTANO_YML = `
version: 1
default_environment: dev
environments:
  - name: dev
plugins:
  extractors:
    - name: tap-x
      label: Tap X
  loaders:
    - name: target-y
schedules:
  - name: nightly
    extractor: tap-x
    loader: target-y
    transform: skip
    interval: '@daily'
  - name: hourly-sync
    extractor: tap-x
    loader: target-y
    transform: skip
    interval: '@hourly'
  - name: by-hand
    extractor: tap-x
    loader: target-y
    transform: skip
    interval: '@hourly'
    annotations:
      meltano-ui:
        orchestrated: false
`;

export interface Clock {
  t: number;
  now(): Date;
}

export function clock(start = T0): Clock {
  const c = { t: start, now: () => new Date(c.t) };
  return c;
}

export interface World {
  scratch: ScratchDb;
  project: Project;
  clock: Clock;
  /** A replica: its own handle on the same database, its own notifier. */
  replica(
    over?: Partial<NotificationsSetup>,
  ): ReturnType<typeof createNotifications> & { db: SystemDatabase };
}

export interface WorldFactory {
  create(dialect: TestDialect): Promise<World>;
  cleanup(): Promise<void>;
}

export async function prepareWorlds(): Promise<WorldFactory> {
  const dir = await mkdtemp(path.join(tmpdir(), 'meltano-ui-notify-'));
  await writeFile(path.join(dir, 'meltano.yml'), MELTANO_YML);
  const project = await loadProject(dir);
  const scratches: ScratchDbs = await prepareScratchDbs();
  return {
    async create(dialect) {
      const scratch = await scratches.create(dialect, 'v4.2.2');
      const c = clock();
      return {
        scratch,
        project,
        clock: c,
        replica(over = {}) {
          const db = scratch.open(c.now);
          const made = createNotifications({
            db,
            tables: uiTables(db),
            secretKey: SECRET_KEY,
            link: linkBase({ serverName: 'meltano.example.com', basePath: '/ui', secure: true }),
            scheduleGraceSeconds: null,
            legacyEmail: null,
            project: async () => project,
            environment: async () => 'dev',
            now: c.now,
            ...over,
            notifier: {
              retryBaseMs: 60_000,
              sendTimeoutMs: 2000,
              onError: (err) => console.error(err),
              ...over.notifier,
            },
          });
          return { ...made, db };
        },
      };
    },
    async cleanup() {
      await scratches.cleanup();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  url: string;
}

/** A webhook receiver on 127.0.0.1: answers each request with the next status of `statuses` (then 200). */
export async function startReceiver(statuses: number[] = [], opts: { hang?: boolean } = {}) {
  const received: ReceivedRequest[] = [];
  const queue = [...statuses];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        url: req.url ?? '',
      });
      if (opts.hang) return; // never answers: the sender's timeout must end the attempt
      res.statusCode = queue.shift() ?? 200;
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook?token=s3cr3t-path-token`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An SMTP server on 127.0.0.1 (smtp-server) that parses every message it accepts (mailparser). */
export async function startSmtp(opts: { user?: string; password?: string } = {}) {
  const mails: { envelopeTo: string[]; parsed: ParsedMail }[] = [];
  const server = new SMTPServer({
    // No TLS on loopback: STARTTLS is not offered, so the client must not require it.
    disabledCommands: opts.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.user,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === opts.user && auth.password === opts.password)
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), parsed });
          callback();
        })
        .catch(callback);
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export const legacyMail = (port: number, recipients: string[]): LegacyEmail => ({
  transport: {
    kind: 'email',
    config: {
      host: '127.0.0.1',
      port,
      secure: false,
      starttls: false,
      username: null,
      password: null,
      from: '"Meltano" <bot@meltano.com>',
      to: [],
    },
  },
  recipients,
});
