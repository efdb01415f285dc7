import { describe, expect, it } from 'vitest';
import { channelLabel, testOutcome } from './delivery-view';

describe('delivery log', () => {
  const channels = new Map([['c1', { name: 'on-call' }]]);

  it('names the channel, ui.notification’s email, or a removed one', () => {
    expect(channelLabel({ channel_id: 'c1', source: 'rule' }, channels)).toBe('on-call');
    expect(channelLabel({ channel_id: null, source: 'legacy_email' }, channels)).toBe(
      'ui.notification email',
    );
    expect(channelLabel({ channel_id: 'gone', source: 'rule' }, channels)).toBe('a removed channel');
  });

  it('says how a test went, with the receiver’s code and error', () => {
    expect(testOutcome({ status: 'delivered', response_code: 204, last_error: null })).toEqual({
      ok: true,
      text: 'Delivered (204).',
    });
    expect(
      testOutcome({ status: 'failed', response_code: 500, last_error: 'HTTP 500 Internal Server Error' }),
    ).toEqual({
      ok: false,
      text: 'Not delivered (500): HTTP 500 Internal Server Error',
    });
    expect(
      testOutcome({ status: 'failed', response_code: null, last_error: 'connect ECONNREFUSED' }).text,
    ).toBe('Not delivered: connect ECONNREFUSED');
  });
});
