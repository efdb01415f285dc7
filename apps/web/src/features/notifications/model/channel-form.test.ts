import { describe, expect, it } from 'vitest';
import type { NotificationChannel } from '../../../lib/api-types';
import {
  channelForm,
  channelFormErrors,
  channelPatchBody,
  createChannelBody,
  emptyChannelForm,
  recipientList,
} from './channel-form';

function channel(kind: NotificationChannel['kind'], config: Record<string, unknown>): NotificationChannel {
  return {
    id: 'c1',
    kind,
    name: 'on-call',
    config,
    has_secret: true,
    secret_readable: true,
    target: '',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  };
}

describe('channel form', () => {
  it('creates a webhook with its URL and secret, and no secret key when none is typed', () => {
    const form = { ...emptyChannelForm('webhook'), name: ' on-call ', url: ' https://x.test/h ' };
    expect(createChannelBody({ ...form, secret: 's3cret' })).toEqual({
      kind: 'webhook',
      name: 'on-call',
      config: { url: 'https://x.test/h', secret: 's3cret' },
    });
    expect(createChannelBody(form).config).toEqual({ url: 'https://x.test/h' });
  });

  it('creates an email channel: port defaulted from secure, recipients split and deduplicated', () => {
    const form = {
      ...emptyChannelForm('email'),
      name: 'team',
      host: 'smtp.x.test',
      secure: true,
      from: 'ui@x.test',
      to: 'a@x.test, b@x.test;\na@x.test',
    };
    expect(createChannelBody(form).config).toEqual({
      host: 'smtp.x.test',
      port: 465,
      secure: true,
      starttls: false,
      username: null,
      from: 'ui@x.test',
      to: ['a@x.test', 'b@x.test'],
    });
    expect(createChannelBody({ ...form, port: '2525', password: 'pw' }).config).toMatchObject({
      port: 2525,
      password: 'pw',
    });
  });

  it('edits without the secrets: they start empty, and empty leaves them out (kept)', () => {
    const stored = channel('webhook', { url: '(redacted)', secret: '(redacted)' });
    const form = channelForm(stored);
    expect(form.url).toBe('');
    expect(form.secret).toBe('');
    expect(channelPatchBody({ ...form, name: 'pager' })).toEqual({ name: 'pager', config: {} });
    expect(channelPatchBody({ ...form, secret: 'new' }).config).toEqual({ secret: 'new' });
    // Removing the optional secret sends null; the URL (required) is never cleared.
    expect(channelPatchBody({ ...form, clearSecret: true }).config).toEqual({ secret: null });
  });

  it('edits an email channel from its shown settings, keeping the password unless one is typed', () => {
    const stored = channel('email', {
      host: 'smtp.x.test',
      port: 587,
      secure: false,
      starttls: true,
      username: 'bot',
      password: '(redacted)',
      from: 'ui@x.test',
      to: ['a@x.test', 'b@x.test'],
    });
    const form = channelForm(stored);
    expect(form).toMatchObject({
      host: 'smtp.x.test',
      port: '587',
      starttls: true,
      to: 'a@x.test, b@x.test',
    });
    const patch = channelPatchBody(form);
    expect(patch.config).not.toHaveProperty('password');
    expect(patch.config).toMatchObject({ port: 587, username: 'bot', to: ['a@x.test', 'b@x.test'] });
  });

  it('names the field at fault before sending', () => {
    expect(channelFormErrors(emptyChannelForm('slack'))).toEqual({
      name: 'A name is required',
      url: 'The URL is required',
    });
    // Editing, an empty URL keeps the stored one.
    expect(channelFormErrors({ ...emptyChannelForm('slack'), name: 'x' }, true)).toEqual({});
    const email = { ...emptyChannelForm('email'), name: 'x', host: 'h', from: 'f@x', port: '70000' };
    expect(channelFormErrors({ ...email, to: 'a@x, nope' })).toEqual({
      port: 'A port is a whole number from 1 to 65535',
      to: 'Not an address: nope',
    });
    expect(channelFormErrors({ ...email, port: '', to: ' , ' })).toEqual({
      to: 'At least one address is required',
    });
  });

  it('reads one or several addresses', () => {
    expect(recipientList('a@x')).toEqual(['a@x']);
    expect(recipientList(' a@x ,b@y\nc@z; ')).toEqual(['a@x', 'b@y', 'c@z']);
    expect(recipientList('')).toEqual([]);
  });
});
