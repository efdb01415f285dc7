import { describe, expect, it } from 'vitest';
import { absoluteTime, axisTime } from './format';

describe('absoluteTime', () => {
  it('shows UTC when asked, naming the zone', () => {
    const text = absoluteTime('2026-12-02T04:39:06Z', 'utc');
    expect(text).toContain('4:39:06');
    expect(text).toMatch(/UTC/);
  });

  it('says — for no time and keeps an unreadable one as it is', () => {
    expect(absoluteTime(null, 'utc')).toBe('—');
    expect(absoluteTime('soon', 'utc')).toBe('soon');
  });
});

describe('axisTime', () => {
  it('shows hours within a day and dates across days', () => {
    const t = Date.parse('2026-12-02T14:05:00Z');
    expect(axisTime(t, 3600_000, 'utc')).toMatch(/(14|0?2).05/);
    expect(axisTime(t, 5 * 86400_000, 'utc')).toMatch(/Dec/);
  });
});
