import type { AnsiSegment } from './ansi';

/** A segment of a line as drawn: ANSI style, an optional class (level column…) and a search mark. */
export interface DrawnSegment extends AnsiSegment {
  className?: string;
  mark?: 'match' | 'current';
}

interface Span {
  start: number;
  end: number;
  mark: 'match' | 'current';
}

/** The same matching as the server's search: plain text, case-insensitive, Unicode-aware. */
export function queryPattern(query: string): RegExp | null {
  if (query === '') return null;
  return new RegExp(query.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'giu');
}

/**
 * Marks every match of `pattern` in the segments' visible text, and the current match (given in
 * raw-line coordinates, as the server reports it) more strongly.
 */
export function markMatches(
  segments: DrawnSegment[],
  pattern: RegExp | null,
  current: { column: number; length: number } | null,
): DrawnSegment[] {
  if (pattern === null && current === null) return segments;
  const plain = segments.map((s) => s.text).join('');
  const spans: Span[] = [];
  const currentStart = current === null ? null : plainIndex(segments, current.column);
  if (current !== null && currentStart !== null) {
    const end = plainIndex(segments, current.column + current.length) ?? plain.length;
    if (end > currentStart) spans.push({ start: currentStart, end, mark: 'current' });
  }
  if (pattern !== null) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(plain); m !== null; m = pattern.exec(plain)) {
      const start = m.index;
      const end = start + m[0].length;
      if (!spans.some((s) => start < s.end && end > s.start)) spans.push({ start, end, mark: 'match' });
    }
  }
  if (spans.length === 0) return segments;
  spans.sort((a, b) => a.start - b.start);
  return splitAt(segments, spans);
}

/** Where raw column `raw` lands in the visible text (an index inside an escape code moves on). */
function plainIndex(segments: DrawnSegment[], raw: number): number | null {
  let plain = 0;
  for (const s of segments) {
    if (raw < s.rawStart) return plain;
    if (raw <= s.rawStart + s.text.length) return plain + (raw - s.rawStart);
    plain += s.text.length;
  }
  return segments.length === 0 ? null : plain;
}

function splitAt(segments: DrawnSegment[], spans: Span[]): DrawnSegment[] {
  const out: DrawnSegment[] = [];
  let plainStart = 0;
  for (const segment of segments) {
    const segEnd = plainStart + segment.text.length;
    let cursor = plainStart;
    for (const span of spans) {
      if (span.end <= cursor || span.start >= segEnd) continue;
      if (span.start > cursor) out.push(piece(segment, plainStart, cursor, span.start));
      const end = Math.min(span.end, segEnd);
      out.push({ ...piece(segment, plainStart, Math.max(cursor, span.start), end), mark: span.mark });
      cursor = end;
    }
    if (cursor < segEnd) out.push(piece(segment, plainStart, cursor, segEnd));
    plainStart = segEnd;
  }
  return out;
}

function piece(segment: DrawnSegment, segStart: number, from: number, to: number): DrawnSegment {
  const { mark: _mark, ...rest } = segment;
  return {
    ...rest,
    text: segment.text.slice(from - segStart, to - segStart),
    rawStart: segment.rawStart + (from - segStart),
  };
}
