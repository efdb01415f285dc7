import { describe, expect, it } from 'vitest';
import { buildChannelConfig } from '../../src/notifications/channel-config.js';
import { createSecretBox } from '../../src/notifications/secret-box.js';

describe('buildChannelConfig', () => {
  it('reads each kind, with email defaults and `to` as a string or a list', () => {
    expect(
      buildChannelConfig('email', { host: 'smtp.x', from: 'a@x.io', to: 'b@x.io, c@x.io' }, null),
    ).toEqual({
      kind: 'email',
      config: {
        host: 'smtp.x',
        port: 587,
        secure: false,
        starttls: false,
        username: null,
        password: null,
        from: 'a@x.io',
        to: ['b@x.io', 'c@x.io'],
      },
    });
    expect(
      buildChannelConfig('email', { host: 'h', secure: true, from: 'a@x.io', to: ['b@x.io'] }, null).config,
    ).toMatchObject({
      port: 465,
    });
    expect(buildChannelConfig('slack', { url: 'https://hooks.slack.com/services/T/B/x' }, null)).toEqual({
      kind: 'slack',
      config: { url: 'https://hooks.slack.com/services/T/B/x' },
    });
  });

  it.each([
    ['webhook', { url: 'ftp://x' }, /http or https URL/],
    ['webhook', {}, /config\.url is required/],
    ['webhook', { url: 'https://x', extra: 1 }, /Unknown webhook config field 'extra'/],
    ['email', { host: 'h', from: 'a@x.io\r\nBcc: evil@x.io', to: 'b@x.io' }, /config\.from must be one line/],
    ['email', { host: 'h', from: 'a@x.io', to: 'not-an-address' }, /invalid addresses: not-an-address/],
    ['email', { host: 'h', from: 'a@x.io', to: [] }, /at least one address/],
    ['email', { host: 'h', port: 70_000, from: 'a@x.io', to: 'b@x.io' }, /port must be/],
  ] as const)('refuses a bad %s config %j', (kind, config, message) => {
    expect(() => buildChannelConfig(kind, config, null)).toThrow(message);
  });

  it('keeps secrets sent back as (redacted) or left out, and clears an optional one with null', () => {
    const old = buildChannelConfig('webhook', { url: 'https://x.io/a', secret: 's1' }, null);
    expect(buildChannelConfig('webhook', { url: '(redacted)' }, old).config).toEqual({
      url: 'https://x.io/a',
      secret: 's1',
    });
    expect(buildChannelConfig('webhook', { secret: null }, old).config).toEqual({
      url: 'https://x.io/a',
      secret: null,
    });
  });
});

describe('secret box', () => {
  it('opens only with the same key and channel id', () => {
    const box = createSecretBox('key-one-key-one-key-one-key-one-!!');
    const sealed = box.seal({ url: 'https://x.io/secret' }, 'channel-1');
    expect(sealed).not.toContain('secret');
    expect(box.open(sealed, 'channel-1')).toEqual({ url: 'https://x.io/secret' });
    expect(box.open(sealed, 'channel-2')).toBeNull();
    expect(createSecretBox('another-key-another-key-another-k').open(sealed, 'channel-1')).toBeNull();
    expect(box.open('garbage', 'channel-1')).toBeNull();
  });
});
