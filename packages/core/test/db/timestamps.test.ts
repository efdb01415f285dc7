import { describe, expect, it } from 'vitest';
import {
  dbTimestampToIso,
  microsToDbText,
  naiveTimestampToIso,
  timestampToMicros,
} from '../../src/db/timestamps.js';

describe('timestamps', () => {
  it('turns SQLite and PostgreSQL text into ISO UTC with six fraction digits', () => {
    expect(dbTimestampToIso('2026-11-21 04:39:06.940260')).toBe('2026-11-21T04:39:06.940260Z');
    // PostgreSQL drops trailing zeros; SQLite rows may have no fraction at all.
    expect(dbTimestampToIso('2026-11-21 04:39:06.94026')).toBe('2026-11-21T04:39:06.940260Z');
    expect(dbTimestampToIso('2026-11-21 04:39:06')).toBe('2026-11-21T04:39:06.000000Z');
    expect(dbTimestampToIso('2026-11-21T04:39:06.5+02:00')).toBe('2026-11-21T02:39:06.500000Z');
    expect(dbTimestampToIso(new Date('2026-11-21T04:39:06.123Z'))).toBe('2026-11-21T04:39:06.123000Z');
  });

  it('answers null for what is not a timestamp', () => {
    for (const value of [null, undefined, '', 'infinity', '2026-13-01 00:00:00', '2026-02-30 00:00:00', 42]) {
      expect(dbTimestampToIso(value)).toBeNull();
    }
  });

  it('keeps microseconds exact and writes the text Meltano stores', () => {
    const a = timestampToMicros('2026-11-21 04:40:32.470275')!;
    const b = timestampToMicros('2026-11-21 04:45:41.945410')!;
    expect((b - a) / 1e6).toBe(309.475135);
    expect(microsToDbText(a)).toBe('2026-11-21 04:40:32.470275');
    expect(microsToDbText(Date.UTC(2026, 0, 2, 3, 4, 5) * 1000)).toBe('2026-01-02 03:04:05.000000');
  });

  it('leaves naive local timestamps (state.updated_at) without a zone', () => {
    expect(naiveTimestampToIso('2026-11-21 04:33:21.637379')).toBe('2026-11-21T04:33:21.637379');
    expect(naiveTimestampToIso(null)).toBeNull();
  });
});
