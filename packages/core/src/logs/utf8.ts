/**
 * Byte-level UTF-8 helpers for reading a log at arbitrary byte offsets without splitting a
 * character. Invalid bytes are treated as one-byte characters (they decode to U+FFFD anyway), so
 * every helper moves a boundary by at most 3 bytes.
 */

export const LF = 0x0a;

export function isContinuationByte(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/** How many bytes the character starting with `lead` declares; 1 for ASCII and for invalid leads. */
export function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf7) return 4;
  if (lead >= 0xe0) return lead <= 0xef ? 3 : 1;
  if (lead >= 0xc0) return 2;
  return 1;
}

/**
 * The index where the character containing `buf[index]` starts, looking back no further than `min`.
 * If no lead byte that covers `index` is found, `index` is returned unchanged (invalid input).
 */
export function charStartAtOrBefore(buf: Uint8Array, index: number, min: number): number {
  let i = index;
  while (i > min && i > index - 3 && isContinuationByte(byteAt(buf, i))) i -= 1;
  if (i === index) return index;
  const lead = byteAt(buf, i);
  return !isContinuationByte(lead) && i + sequenceLength(lead) > index ? i : index;
}

/** The first character boundary at or after `index` (skips at most 3 continuation bytes). */
export function charStartAtOrAfter(buf: Uint8Array, index: number, max: number): number {
  let i = index;
  while (i < max && i < index + 3 && isContinuationByte(byteAt(buf, i))) i += 1;
  return i;
}

/**
 * `end`, or the start of the last character in `buf[start, end)` when that character is cut short
 * (its lead byte declares more bytes than are present).
 */
export function completeEnd(buf: Uint8Array, start: number, end: number): number {
  let i = end - 1;
  while (i >= start && i > end - 4 && isContinuationByte(byteAt(buf, i))) i -= 1;
  if (i < start) return end;
  const lead = byteAt(buf, i);
  if (isContinuationByte(lead)) return end;
  return i + sequenceLength(lead) > end ? i : end;
}

function byteAt(buf: Uint8Array, index: number): number {
  // Callers stay in bounds; the fallback only satisfies noUncheckedIndexedAccess.
  return buf[index] ?? 0;
}
