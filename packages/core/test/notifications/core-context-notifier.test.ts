import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCoreContext } from '../../src/core-context.js';
import { dbTime } from '../runs/scratch-db.js';
import { copyFixtureDb } from '../support/fixtures.js';
import { startReceiver } from './support.js';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'core-notifier-'));
  fs.writeFileSync(
    path.join(root, 'meltano.yml'),
    'default_environment: dev\nenvironments: [{name: dev}]\nplugins:\n  extractors: [{name: tap-x}]\n  loaders: [{name: target-y}]\nschedules:\n  - {name: nightly, extractor: tap-x, loader: target-y, interval: "@daily"}\n',
  );
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const open = (env: NodeJS.ProcessEnv = {}) =>
  openCoreContext({ projectRoot: root, env, homeDir: root, notificationPollMs: 50 });

describe('the notifier of the core context', () => {
  it('polls once started, without creating a missing SQLite system DB, and stops on close', async () => {
    const receiver = await startReceiver();
    const core = await open({
      MELTANO_UI_SERVER_NAME: 'ui.example.com',
      MELTANO_UI_SECRET_KEY: 'k'.repeat(40),
    });
    try {
      const dbFile = path.join(root, '.meltano', 'meltano.db');
      expect(await core.notifier.tick()).toEqual({ claimed: 0, attempts: 0, delivered: 0, failed: 0 });
      expect(fs.existsSync(dbFile)).toBe(false);

      const copy = await copyFixtureDb('v4.2.2', path.join(root, 'copy'));
      fs.mkdirSync(path.dirname(dbFile), { recursive: true });
      fs.renameSync(copy, dbFile);
      const channel = await core.notifications.createChannel({
        kind: 'webhook',
        name: 'hook',
        config: { url: receiver.url },
      });
      await core.notifications.createRule({
        channel_id: channel.id,
        events: ['failed'],
        pipelines: ['nightly'],
      });
      await new Promise((resolve) => setTimeout(resolve, 20)); // the run ends after the rule exists

      const sqlite = new Database(dbFile);
      const now = new Date();
      const { lastInsertRowid } = sqlite
        .prepare(
          'insert into runs (job_name, run_id, state, started_at, ended_at, last_heartbeat_at, payload, payload_flags, trigger) values (?, ?, ?, ?, ?, ?, ?, 0, ?)',
        )
        .run(
          'nightly',
          randomBytes(16).toString('hex'),
          'FAIL',
          dbTime(now),
          dbTime(now),
          dbTime(now),
          '{"error": "boom"}',
          'cli',
        );
      sqlite.close();

      core.notifier.start();
      for (let i = 0; i < 100 && receiver.received.length === 0; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(receiver.received.map((r) => JSON.parse(r.body))).toEqual([
        expect.objectContaining({ event: 'failed', url: `http://ui.example.com/runs/${lastInsertRowid}` }),
      ]);
    } finally {
      await core.close();
      await receiver.close();
    }
  });

  it('reads ui.schedule_grace once at boot and refuses a value that is not a duration', async () => {
    const core = await open({ MELTANO_UI_SCHEDULE_GRACE: '15m' });
    expect(core.scheduleGraceSeconds).toBe(900);
    await core.close();
    await expect(open({ MELTANO_UI_SCHEDULE_GRACE: 'a while' })).rejects.toThrow(
      /ui\.schedule_grace must be a duration/,
    );
  });
});
