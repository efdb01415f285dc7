import { describe, expect, it } from 'vitest';
import { trustProxyOption } from '../src/server.js';

describe('ui.forwarded_allow_ips as Fastify trustProxy', () => {
  it('is true for *, the list (IPs and CIDR ranges) otherwise, and false for an empty list', () => {
    expect(trustProxyOption(['*'])).toBe(true);
    expect(trustProxyOption(['127.0.0.1', '10.0.0.0/8'])).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(trustProxyOption([])).toBe(false);
  });
});
