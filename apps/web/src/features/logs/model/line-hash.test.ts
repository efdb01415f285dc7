import { describe, expect, it } from 'vitest';
import { formatLineHash, inRange, parseLineHash } from './line-hash';

describe('line links', () => {
  it('reads one line or a range, in either order', () => {
    expect(parseLineHash('#L120')).toEqual({ start: 120, end: 120 });
    expect(parseLineHash('#L120-L140')).toEqual({ start: 120, end: 140 });
    expect(parseLineHash('#L140-L120')).toEqual({ start: 120, end: 140 });
    expect(parseLineHash('#L5-9')).toEqual({ start: 5, end: 9 });
  });

  it('ignores anything else', () => {
    for (const hash of ['', '#', '#L', '#L0', '#Lx', '#L1-', '#l12', '#L1234567890123456', 'L12']) {
      expect(parseLineHash(hash)).toBeNull();
    }
  });

  it('writes the shortest form and tests membership', () => {
    expect(formatLineHash({ start: 7, end: 7 })).toBe('#L7');
    expect(formatLineHash({ start: 7, end: 9 })).toBe('#L7-L9');
    expect(inRange({ start: 7, end: 9 }, 9)).toBe(true);
    expect(inRange({ start: 7, end: 9 }, 10)).toBe(false);
    expect(inRange(null, 1)).toBe(false);
  });
});
