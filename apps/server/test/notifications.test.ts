import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '@meltano-ui/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

const SECRET = 'webhook-secret-that-must-never-be-shown';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback that keeps what it was sent. */
async function receiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.each(DIALECTS)('notification routes (%s)', (dialect) => {
  let app: TestApp;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const send = async (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const res = await app.server.inject({ method, url, payload: payload as object });
    return { status: res.statusCode, body: res.statusCode === 204 ? null : res.json() };
  };

  beforeAll(async () => {
    app = await startTestApp(dialect, {});
    hook = await receiver();
  });
  afterAll(async () => {
    await hook.close();
    await app.cleanup();
  });

  it('a webhook channel: added, listed without its secret, and a signed test message sent', async () => {
    const created = await send('POST', '/api/v1/notifications/channels', {
      kind: 'webhook',
      name: 'on-call',
      config: { url: hook.url, secret: SECRET },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'webhook', name: 'on-call', has_secret: true });
    const listed = await app.server.inject({ url: '/api/v1/notifications/channels' });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(SECRET);
    expect(listed.body).not.toContain('/hook');

    const test = await send('POST', `/api/v1/notifications/channels/${created.body.id}/test`);
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({
      source: 'test',
      event: 'test',
      status: 'delivered',
      response_code: 204,
    });
    const [message] = hook.received;
    expect(message).toBeDefined();
    const timestamp = String(message?.headers['x-meltano-ui-timestamp']);
    expect(
      verifyWebhookSignature(
        SECRET,
        timestamp,
        message?.body ?? '',
        message?.headers['x-meltano-ui-signature'] as string,
      ),
    ).toBe(true);

    const deliveries = (await app.server.inject({ url: '/api/v1/notifications/deliveries' })).json();
    expect(deliveries.items[0]).toMatchObject({ id: test.body.id, status: 'delivered' });

    // "(redacted)" sent back keeps the secret; a new name is taken.
    const renamed = await send('PATCH', `/api/v1/notifications/channels/${created.body.id}`, {
      name: 'pager',
      config: { url: '(redacted)', secret: '(redacted)' },
    });
    expect(renamed.body).toMatchObject({ name: 'pager', has_secret: true });
  });

  it('rules: created for a channel, changed, refused with the field named, removed', async () => {
    const channel = await send('POST', '/api/v1/notifications/channels', {
      kind: 'slack',
      name: 'team',
      config: { url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
    });
    const rule = await send('POST', '/api/v1/notifications/rules', {
      channel_id: channel.body.id,
      events: ['failed', 'stale'],
      pipelines: ['failing-demo'],
    });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({
      events: ['failed', 'stale'],
      pipelines: ['failing-demo'],
      enabled: true,
    });
    const off = await send('PATCH', `/api/v1/notifications/rules/${rule.body.id}`, { enabled: false });
    expect(off.body.enabled).toBe(false);
    const rules = (await app.server.inject({ url: '/api/v1/notifications/rules' })).json();
    expect(rules.rules.map((r: { id: string }) => r.id)).toContain(rule.body.id);

    const unknown = await send('POST', '/api/v1/notifications/rules', {
      channel_id: 'no-such-channel',
      events: ['failed'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toMatchObject({ field: 'channel_id' });
    const badEvent = await send('POST', '/api/v1/notifications/rules', {
      channel_id: channel.body.id,
      events: ['exploded'],
    });
    expect(badEvent.status).toBe(400);
    const badUrl = await send('POST', '/api/v1/notifications/channels', {
      kind: 'webhook',
      name: 'x',
      config: { url: 'not a url' },
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.message).toMatch(/url/i);

    expect((await send('DELETE', `/api/v1/notifications/rules/${rule.body.id}`)).status).toBe(204);
    expect((await send('DELETE', `/api/v1/notifications/channels/${channel.body.id}`)).status).toBe(204);
    expect((await send('DELETE', `/api/v1/notifications/channels/${channel.body.id}`)).status).toBe(404);
  });
});
