import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startReceiver } from '../../../packages/core/test/notifications/support.js';
import { DIALECTS, startTestApp } from './support/test-app.js';
import { until } from './support/wait.js';

// The run is made by the Meltano-CLI stand-in (test-fixtures/meltano-standin), not the real Meltano:
// it writes the runs row and elt.log as the CLI does, here for failing-demo, whose tap fails.
const STANDIN = fileURLToPath(
  new URL('../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);

describe.each(DIALECTS)('a failed run notifies once across two replicas (%s)', (dialect) => {
  it('the stand-in fails failing-demo; the webhook gets one message with the cause from its log', async () => {
    const env = { MELTANO_UI_MELTANO_EXECUTABLE: STANDIN };
    const a = await startTestApp(dialect, { env });
    const b = await startTestApp(dialect, { replicaOf: a, env });
    const receiver = await startReceiver();
    try {
      const channel = await a.server.inject({
        method: 'POST',
        url: '/api/v1/notifications/channels',
        payload: { kind: 'webhook', name: 'on-call', config: { url: receiver.url, secret: 'whsec-standin' } },
      });
      expect(channel.statusCode, channel.body).toBe(201);
      const rule = await b.server.inject({
        method: 'POST',
        url: '/api/v1/notifications/rules',
        payload: { channel_id: channel.json().id, events: ['failed'], pipelines: ['failing-demo'] },
      });
      expect(rule.statusCode, rule.body).toBe(201);

      const started = await a.server.inject({ method: 'POST', url: '/api/v1/schedules/failing-demo/run' });
      expect(started.statusCode, started.body).toBe(202);
      const failed = await until('the failed run', async () => {
        const page = await b.server.inject({
          url: '/api/v1/runs?state_id=failing-demo&status=failed&limit=1',
        });
        const run = page.json().items[0] as { id: number; trigger: string } | undefined;
        return run?.trigger === 'ui' ? run : null;
      });

      // Both replicas poll, twice; exactly one message goes out.
      for (let i = 0; i < 2; i++) await Promise.all([a.core.notifier.tick(), b.core.notifier.tick()]);
      expect(receiver.received).toHaveLength(1);
      const body = JSON.parse(receiver.received[0]?.body ?? '{}');
      expect(body).toMatchObject({
        event: 'failed',
        pipeline: 'failing-demo',
        run: { id: failed.id, status: 'failed', trigger: 'ui' },
      });
      // The cause the UI reads from the log, not Meltano's "Extractor failed".
      expect(body.run.failure_cause).toBe(
        "RuntimeError: HTTP 500 from upstream API while paginating 'users'",
      );
      const deliveries = (await a.server.inject({ url: '/api/v1/notifications/deliveries' })).json();
      expect(deliveries.items).toEqual([
        expect.objectContaining({ event: 'failed', run_id: failed.id, status: 'delivered', attempts: 1 }),
      ]);
    } finally {
      await receiver.close();
      await b.cleanup();
      await a.cleanup();
    }
  }, 60_000);
});
