import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationsRepository } from '../../src/notifications/notifications.repository.js';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
} from '../../src/notifications/senders.js';
import { uiTables } from '../../src/ui-db/migrate-ui-tables.js';
import { DIALECTS } from '../support/backends.js';
import {
  legacyMail,
  MIN,
  prepareWorlds,
  SECRET_KEY,
  startReceiver,
  startSmtp,
  type WorldFactory,
} from './support.js';

let worlds: WorldFactory;
beforeAll(async () => {
  worlds = await prepareWorlds();
});
afterAll(() => worlds.cleanup());

const HOOK_SECRET = 'whsec-test-0123456789';

describe.each(DIALECTS)('notifications on %s', (dialect) => {
  it('a failed run written straight into runs reaches a webhook once, signed, with two replicas polling', async () => {
    const world = await worlds.create(dialect);
    const receiver = await startReceiver();
    try {
      const a = world.replica();
      const b = world.replica();
      const channel = await a.service.createChannel({
        kind: 'webhook',
        name: 'ops hook',
        config: { url: receiver.url, secret: HOOK_SECRET },
      });
      await a.service.createRule({ channel_id: channel.id, events: ['failed'], pipelines: null });
      world.clock.t += MIN;
      // As the CLI (or Airflow's `meltano schedule run`) would write it: no UI involved.
      const started = new Date(world.clock.t - 3 * MIN);
      const runId = await world.scratch.insert({
        job_name: 'nightly',
        state: 'FAIL',
        started_at: started,
        ended_at: new Date(world.clock.t - 30_000),
        payload: JSON.stringify({ error: 'Extractor failed' }),
      });

      const [ra, rb] = await Promise.all([a.notifier.tick(), b.notifier.tick()]);
      expect(ra.claimed + rb.claimed).toBe(1);
      expect(receiver.received).toHaveLength(1);
      // Polling again (both replicas) sends nothing more.
      await Promise.all([a.notifier.tick(), b.notifier.tick()]);
      world.clock.t += 10 * MIN;
      await Promise.all([a.notifier.tick(), b.notifier.tick()]);
      expect(receiver.received).toHaveLength(1);

      const request = receiver.received[0];
      if (!request) throw new Error('no request');
      const timestamp = String(request.headers[TIMESTAMP_HEADER.toLowerCase()]);
      expect(Number(timestamp)).toBe(Math.floor((world.clock.t - 10 * MIN) / 1000));
      expect(
        verifyWebhookSignature(
          HOOK_SECRET,
          timestamp,
          request.body,
          request.headers[SIGNATURE_HEADER.toLowerCase()] as string,
        ),
      ).toBe(true);
      expect(
        verifyWebhookSignature(
          'another-secret',
          timestamp,
          request.body,
          request.headers[SIGNATURE_HEADER.toLowerCase()] as string,
        ),
      ).toBe(false);
      const body = JSON.parse(request.body);
      expect(body).toMatchObject({
        event: 'failed',
        pipeline: 'nightly',
        title: 'Pipeline nightly failed',
        url: `https://meltano.example.com/ui/runs/${runId}`,
        run: {
          id: runId,
          state_id: 'nightly',
          status: 'failed',
          duration_seconds: 150,
          trigger: 'cli',
          records_moved: null,
          failure_cause: 'Extractor failed',
        },
      });
      expect(body.text).toContain(`Run ${runId}`);

      const deliveries = await b.service.listDeliveries();
      expect(deliveries.items).toEqual([
        expect.objectContaining({
          source: 'rule',
          channel_id: channel.id,
          event: 'failed',
          event_key: `run:${runId}:failed`,
          pipeline: 'nightly',
          run_id: runId,
          status: 'delivered',
          attempts: 1,
          response_code: 200,
          last_error: null,
          next_attempt_at: null,
        }),
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('retries with backoff after the receiver answers 500, then records the delivery', async () => {
    const world = await worlds.create(dialect);
    const receiver = await startReceiver([500, 503]);
    try {
      const replica = world.replica({ notifier: { retryBaseMs: 60_000 } });
      const channel = await replica.service.createChannel({
        kind: 'webhook',
        name: 'flaky',
        config: { url: receiver.url, secret: HOOK_SECRET },
      });
      await replica.service.createRule({
        channel_id: channel.id,
        events: ['failed'],
        pipelines: ['nightly'],
      });
      world.clock.t += MIN;
      await world.scratch.insert({
        job_name: 'nightly',
        state: 'FAIL',
        started_at: new Date(world.clock.t - 1000),
      });

      await replica.notifier.tick();
      let [row] = (await replica.service.listDeliveries()).items;
      expect(row).toMatchObject({ status: 'retrying', attempts: 1, response_code: 500 });
      expect(row?.last_error).toBe('The receiver answered HTTP 500');
      expect(row?.next_attempt_at).toBe(new Date(world.clock.t + 60_000).toISOString());

      world.clock.t += 30_000; // not due yet
      await replica.notifier.tick();
      expect(receiver.received).toHaveLength(1);

      world.clock.t += 31_000;
      await replica.notifier.tick();
      [row] = (await replica.service.listDeliveries()).items;
      // Twice as long after the second failure.
      expect(row).toMatchObject({ status: 'retrying', attempts: 2, response_code: 503 });
      expect(row?.next_attempt_at).toBe(new Date(world.clock.t + 120_000).toISOString());

      world.clock.t += 121_000;
      await replica.notifier.tick();
      [row] = (await replica.service.listDeliveries()).items;
      expect(row).toMatchObject({ status: 'delivered', attempts: 3, response_code: 200, last_error: null });
      expect(receiver.received).toHaveLength(3);
      // Every attempt is the same message, with the same delivery id for receivers that de-duplicate.
      expect(new Set(receiver.received.map((r) => JSON.parse(r.body).delivery_key)).size).toBe(1);
      expect(new Set(receiver.received.map((r) => r.headers['x-meltano-ui-delivery'])).size).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('gives up after the last attempt, and at once on a 4xx the receiver will refuse again', async () => {
    const world = await worlds.create(dialect);
    const receiver = await startReceiver([500, 500, 404]);
    try {
      const replica = world.replica({ notifier: { retryBaseMs: 1000, maxAttempts: 2 } });
      const channel = await replica.service.createChannel({
        kind: 'slack',
        name: 'chat',
        config: { url: receiver.url },
      });
      await replica.service.createRule({
        channel_id: channel.id,
        events: ['failed', 'succeeded'],
        pipelines: null,
      });
      world.clock.t += MIN;
      await world.scratch.insert({
        job_name: 'nightly',
        state: 'FAIL',
        started_at: new Date(world.clock.t - 1000),
      });
      await replica.notifier.tick();
      world.clock.t += 2000;
      const report = await replica.notifier.tick();
      expect(report).toMatchObject({ attempts: 1, failed: 1 });
      let [row] = (await replica.service.listDeliveries()).items;
      expect(row).toMatchObject({ status: 'failed', attempts: 2, next_attempt_at: null });

      await world.scratch.insert({
        job_name: 'nightly',
        state: 'SUCCESS',
        started_at: new Date(world.clock.t - 500),
      });
      await replica.notifier.tick();
      [row] = (await replica.service.listDeliveries({ limit: 1 })).items;
      expect(row).toMatchObject({ event: 'succeeded', status: 'failed', attempts: 1, response_code: 404 });
      // Slack's shape: text plus blocks.
      expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({
        text: expect.stringContaining('Pipeline nightly failed'),
        blocks: expect.any(Array),
      });
    } finally {
      await receiver.close();
    }
  });

  it('gives up on a receiver that never answers within the send timeout', async () => {
    const world = await worlds.create(dialect);
    const receiver = await startReceiver([], { hang: true });
    try {
      const replica = world.replica({ notifier: { sendTimeoutMs: 300 } });
      const channel = await replica.service.createChannel({
        kind: 'webhook',
        name: 'slow',
        config: { url: receiver.url },
      });
      await replica.service.createRule({ channel_id: channel.id, events: ['failed'], pipelines: null });
      world.clock.t += MIN;
      await world.scratch.insert({
        job_name: 'nightly',
        state: 'FAIL',
        started_at: new Date(world.clock.t - 1000),
      });
      const started = Date.now();
      await replica.notifier.tick();
      expect(Date.now() - started).toBeLessThan(5000);
      const [row] = (await replica.service.listDeliveries()).items;
      expect(row).toMatchObject({
        status: 'retrying',
        attempts: 1,
        response_code: null,
        last_error: 'No answer within 0.3 s',
      });
      // An unsigned channel (no secret) sends no signature header.
      expect(receiver.received[0]?.headers[SIGNATURE_HEADER.toLowerCase()]).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });

  it('emails over SMTP (parsed: from, to, subject, body, link)', async () => {
    const world = await worlds.create(dialect);
    const smtp = await startSmtp({ user: 'mailer', password: 'smtp-pass-123' });
    try {
      const replica = world.replica();
      const channel = await replica.service.createChannel({
        kind: 'email',
        name: 'on-call mail',
        config: {
          host: '127.0.0.1',
          port: smtp.port,
          secure: false,
          username: 'mailer',
          password: 'smtp-pass-123',
          from: '"Meltano UI" <ui@example.com>',
          to: 'oncall@example.com, data@example.com',
        },
      });
      await replica.service.createRule({ channel_id: channel.id, events: ['failed'], pipelines: null });
      world.clock.t += MIN;
      const runId = await world.scratch.insert({
        job_name: 'nightly',
        state: 'FAIL',
        started_at: new Date(world.clock.t - 65_000),
        ended_at: new Date(world.clock.t - 1000),
        payload: JSON.stringify({ error: 'Loader failed' }),
      });
      await replica.notifier.tick();
      expect(smtp.mails).toHaveLength(1);
      const mail = smtp.mails[0];
      expect(mail?.envelopeTo).toEqual(['oncall@example.com', 'data@example.com']);
      expect(mail?.parsed.subject).toBe('Pipeline nightly failed');
      expect(mail?.parsed.from?.value).toEqual([{ address: 'ui@example.com', name: 'Meltano UI' }]);
      expect(mail?.parsed.text).toContain(`Run ${runId}`);
      expect(mail?.parsed.text).toContain('took 1 min 4 s');
      expect(mail?.parsed.text).toContain('Cause: Loader failed');
      expect(mail?.parsed.html).toContain(`href="https://meltano.example.com/ui/runs/${runId}"`);
      expect((await replica.service.listDeliveries()).items[0]).toMatchObject({
        status: 'delivered',
        response_code: 250,
      });
    } finally {
      await smtp.close();
    }
  });

  it('a late schedule notifies once per late period, whatever the replicas and polls', async () => {
    const world = await worlds.create(dialect);
    const receiver = await startReceiver();
    try {
      const a = world.replica();
      const b = world.replica();
      const channel = await a.service.createChannel({
        kind: 'webhook',
        name: 'late',
        config: { url: receiver.url },
      });
      await a.service.createRule({
        channel_id: channel.id,
        events: ['late'],
        pipelines: ['hourly-sync', 'by-hand'],
      });
      // Both ran at 12:00:05; nothing since. by-hand is marked not orchestrated: never late.
      await world.scratch.insert({
        job_name: 'hourly-sync',
        state: 'SUCCESS',
        started_at: new Date(world.clock.t + 5000),
      });
      await world.scratch.insert({
        job_name: 'by-hand',
        state: 'SUCCESS',
        started_at: new Date(world.clock.t + 5000),
      });
      world.clock.t += 65 * MIN; // 13:05: 13:00 is still within its 6 minute grace
      await Promise.all([a.notifier.tick(), b.notifier.tick()]);
      expect(receiver.received).toHaveLength(0);

      world.clock.t += 2 * MIN; // 13:07
      await Promise.all([a.notifier.tick(), b.notifier.tick()]);
      world.clock.t += 60 * MIN; // 14:07: two missed now, still the same late period
      await Promise.all([a.notifier.tick(), b.notifier.tick()]);
      expect(receiver.received).toHaveLength(1);
      expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({
        event: 'late',
        pipeline: 'hourly-sync',
        run: null,
        lateness: { schedule: 'hourly-sync', expected_at: '2026-11-22T13:00:00.000Z', missed: 1 },
        url: 'https://meltano.example.com/ui/schedules/hourly-sync',
      });

      // A run at last, then silence again: a new late period, a new message.
      await world.scratch.insert({
        job_name: 'hourly-sync',
        state: 'SUCCESS',
        started_at: world.clock.now(),
      });
      world.clock.t += 60 * MIN; // 15:07
      await Promise.all([a.notifier.tick(), b.notifier.tick()]);
      expect(receiver.received).toHaveLength(2);
      expect(JSON.parse(receiver.received[1]?.body ?? '{}').lateness.expected_at).toBe(
        '2026-11-22T15:00:00.000Z',
      );
    } finally {
      await receiver.close();
    }
  });

  it('recovered: the first success after failures, once; a success after a success is not', async () => {
    const world = await worlds.create(dialect);
    const receiver = await startReceiver();
    try {
      const replica = world.replica();
      const channel = await replica.service.createChannel({
        kind: 'webhook',
        name: 'r',
        config: { url: receiver.url },
      });
      await replica.service.createRule({ channel_id: channel.id, events: ['recovered'], pipelines: null });
      world.clock.t += MIN;
      const at = (minutes: number) => new Date(world.clock.t + minutes * MIN);
      await world.scratch.insert({ job_name: 'nightly', state: 'FAIL', started_at: at(0) });
      await world.scratch.insert({ job_name: 'nightly', state: 'FAIL', started_at: at(1) });
      const recovered = await world.scratch.insert({
        job_name: 'nightly',
        state: 'SUCCESS',
        started_at: at(2),
      });
      await world.scratch.insert({ job_name: 'nightly', state: 'SUCCESS', started_at: at(3) });
      world.clock.t += 5 * MIN;
      await replica.notifier.tick();
      await replica.notifier.tick();
      expect(receiver.received.map((r) => JSON.parse(r.body)).map((b) => [b.event, b.run.id])).toEqual([
        ['recovered', recovered],
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('a rule never fires for a run that ended before it was created', async () => {
    const world = await worlds.create(dialect);
    const receiver = await startReceiver();
    try {
      const replica = world.replica();
      const before = await world.scratch.insert({
        job_name: 'nightly',
        state: 'FAIL',
        started_at: new Date(world.clock.t - 2 * MIN),
        ended_at: new Date(world.clock.t - MIN),
      });
      const channel = await replica.service.createChannel({
        kind: 'webhook',
        name: 'new',
        config: { url: receiver.url },
      });
      await replica.service.createRule({ channel_id: channel.id, events: ['failed'], pipelines: null });
      world.clock.t += MIN;
      const after = await world.scratch.insert({
        job_name: 'nightly',
        state: 'FAIL',
        started_at: world.clock.now(),
      });
      world.clock.t += 1000;
      await replica.notifier.tick();
      const ids = receiver.received.map((r) => JSON.parse(r.body).run.id);
      expect(ids).toEqual([after]);
      expect(ids).not.toContain(before);
    } finally {
      await receiver.close();
    }
  });

  it('a presumed-dead run notifies once as stale, also when Meltano later marks it FAIL', async () => {
    const world = await worlds.create(dialect);
    const receiver = await startReceiver();
    try {
      const replica = world.replica();
      const channel = await replica.service.createChannel({
        kind: 'webhook',
        name: 's',
        config: { url: receiver.url },
      });
      await replica.service.createRule({
        channel_id: channel.id,
        events: ['stale', 'failed'],
        pipelines: ['nightly'],
      });
      world.clock.t += MIN;
      const id = await world.scratch.insert({
        job_name: 'nightly',
        state: 'RUNNING',
        started_at: world.clock.now(),
        last_heartbeat_at: world.clock.now(),
      });
      world.clock.t += 3 * MIN;
      await replica.notifier.tick();
      expect(receiver.received).toHaveLength(0); // heartbeat 3 minutes old: still running
      world.clock.t += 3 * MIN;
      await replica.notifier.tick();
      expect(receiver.received.map((r) => JSON.parse(r.body).event)).toEqual(['stale']);
      // `meltano elt` marks it the way fail_stale_jobs does: the same event, not a new failure.
      await world.scratch.update(id, {
        state: 'FAIL',
        ended_at: world.clock.now(),
        payload: JSON.stringify({
          error: 'No heartbeat recorded for 5 minutes. The process was likely killed unceremoniously.',
        }),
      });
      await replica.notifier.tick();
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('takes over a send whose replica died before recording it (lease expired)', async () => {
    const world = await worlds.create(dialect);
    const receiver = await startReceiver();
    try {
      const dead = world.replica({ notifier: { leaseMs: 2 * MIN } });
      const alive = world.replica({ notifier: { leaseMs: 2 * MIN } });
      const channel = await dead.service.createChannel({
        kind: 'webhook',
        name: 'x',
        config: { url: 'http://127.0.0.1:9/unreachable' },
      });
      await dead.service.createRule({ channel_id: channel.id, events: ['failed'], pipelines: null });
      world.clock.t += MIN;
      await world.scratch.insert({ job_name: 'nightly', state: 'FAIL', started_at: world.clock.now() });
      // The claim as a replica writes it just before it sends, then nothing: it was killed.
      const repo = createNotificationsRepository(uiTables(dead.db), world.clock.now);
      const events = await alive.service.listDeliveries();
      expect(events.items).toHaveLength(0);
      // Point the channel at the live receiver first: the takeover sends with the channel as it is now.
      await alive.service.updateChannel(channel.id, { config: { url: receiver.url } });
      const rules = await alive.service.listRules();
      const lease = await repo.claim(
        {
          rule_key: `rule:${rules[0]?.id}`,
          event_key: 'run:999999:failed',
          rule_id: rules[0]?.id ?? null,
          channel_id: channel.id,
          event: 'failed',
          pipeline: 'nightly',
          run_id: 999999,
          payload: {
            content: {
              event: 'failed',
              delivery_key: 'k',
              pipeline: 'nightly',
              run: null,
              lateness: null,
              url: null,
              occurred_at: world.clock.now().toISOString(),
              title: 'taken over',
              text: 'taken over',
            },
          },
        },
        dead.notifier.owner,
        2 * MIN,
      );
      expect(lease).not.toBeNull();
      world.clock.t += MIN;
      await alive.notifier.tick(); // lease still valid: not taken (the real run's own event is sent)
      expect(receiver.received.map((r) => JSON.parse(r.body).title)).toEqual(['Pipeline nightly failed']);
      world.clock.t += 2 * MIN;
      await alive.notifier.tick();
      expect(receiver.received.map((r) => JSON.parse(r.body).title)).toEqual([
        'Pipeline nightly failed',
        'taken over',
      ]);
      // The dead replica's late answer no longer counts: its lease token was replaced.
      if (lease === null) throw new Error('no lease');
      expect(
        await repo.recordAttempt(lease, {
          ok: false,
          response_code: null,
          error: 'late',
          next_attempt_at: null,
        }),
      ).toBe(false);
      const row = (await alive.service.listDeliveries()).items.find(
        (d) => d.event_key === 'run:999999:failed',
      );
      expect(row).toMatchObject({ status: 'delivered', attempts: 1 });
    } finally {
      await receiver.close();
    }
  });

  it('ui.notification: emails runs the UI started (trigger ui) of schedules, to the configured recipients', async () => {
    const world = await worlds.create(dialect);
    const smtp = await startSmtp();
    try {
      const replica = world.replica({ legacyEmail: legacyMail(smtp.port, ['team@example.com']) });
      world.clock.t += MIN;
      await world.scratch.insert({
        job_name: 'nightly',
        state: 'SUCCESS',
        started_at: world.clock.now(),
        trigger: 'ui',
      });
      await world.scratch.insert({
        job_name: 'nightly',
        state: 'FAIL',
        started_at: world.clock.now(),
        trigger: 'cli',
      });
      await world.scratch.insert({
        job_name: 'not-a-schedule',
        state: 'FAIL',
        started_at: world.clock.now(),
        trigger: 'ui',
      });
      world.clock.t += 1000;
      await replica.notifier.tick();
      await replica.notifier.tick();
      expect(smtp.mails.map((m) => [m.envelopeTo, m.parsed.subject])).toEqual([
        [['team@example.com'], 'Your Tap X data is ready!'],
      ]);
      expect((await replica.service.listDeliveries()).items[0]).toMatchObject({
        source: 'legacy_email',
        status: 'delivered',
      });
    } finally {
      await smtp.close();
    }
  });

  it('never returns a secret: lists and gets redact them, the table holds only ciphertext', async () => {
    const world = await worlds.create(dialect);
    const replica = world.replica();
    const hook = await replica.service.createChannel({
      kind: 'webhook',
      name: 'signed',
      config: { url: 'https://hooks.example.com/T000/B000/xoxb-url-token', secret: HOOK_SECRET },
    });
    await replica.service.createChannel({
      kind: 'email',
      name: 'mail',
      config: {
        host: 'smtp.example.com',
        port: 587,
        username: 'u',
        password: 'smtp-password-xyz',
        from: 'a@example.com',
        to: ['b@example.com'],
      },
    });
    const listed = await replica.service.listChannels();
    const text = JSON.stringify([listed, await replica.service.getChannel(hook.id)]);
    for (const secret of ['xoxb-url-token', HOOK_SECRET, 'smtp-password-xyz', '/T000/'])
      expect(text).not.toContain(secret);
    expect(listed.find((c) => c.kind === 'webhook')).toMatchObject({
      kind: 'webhook',
      config: { url: '(redacted)', secret: '(redacted)' },
      has_secret: true,
      secret_readable: true,
      target: 'https://hooks.example.com',
    });
    expect(listed.find((c) => c.kind === 'email')).toMatchObject({
      config: {
        host: 'smtp.example.com',
        port: 587,
        username: 'u',
        password: '(redacted)',
        to: ['b@example.com'],
      },
    });
    const rows = await replica.db.withKysely((k) =>
      k.selectFrom('ui_notification_channels').selectAll().execute(),
    );
    expect(JSON.stringify(rows)).not.toContain('xoxb-url-token');
    expect(JSON.stringify(rows)).not.toContain('smtp-password-xyz');

    // Sending the redacted form back keeps the secret; another ui.secret_key cannot read it.
    const patched = await replica.service.updateChannel(hook.id, {
      name: 'renamed',
      config: { url: '(redacted)', secret: '(redacted)' },
    });
    expect(patched).toMatchObject({ name: 'renamed', has_secret: true, secret_readable: true });
    const other = world.replica({ secretKey: `${SECRET_KEY}-rotated` });
    expect(await other.service.getChannel(hook.id)).toMatchObject({
      has_secret: true,
      secret_readable: false,
    });
    expect((await other.service.testChannel(hook.id)).last_error).toMatch(/cannot be decrypted/);
  });

  it('"send test" sends one message and logs it', async () => {
    const world = await worlds.create(dialect);
    const receiver = await startReceiver();
    try {
      const replica = world.replica();
      const channel = await replica.service.createChannel({
        kind: 'webhook',
        name: 'try',
        config: { url: receiver.url, secret: HOOK_SECRET },
      });
      const delivery = await replica.service.testChannel(channel.id);
      expect(delivery).toMatchObject({
        source: 'test',
        event: 'test',
        status: 'delivered',
        attempts: 1,
        response_code: 200,
      });
      expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({
        event: 'test',
        title: 'Meltano UI: test notification for channel try',
      });
      // The notifier does not pick tests up again.
      await replica.notifier.tick();
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
