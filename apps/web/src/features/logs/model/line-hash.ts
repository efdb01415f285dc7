/** A range of 1-based line numbers, `start` ≤ `end`, as a link to it puts it in the URL hash. */
export interface LineRange {
  start: number;
  end: number;
}

const HASH = /^#L(\d{1,15})(?:-L?(\d{1,15}))?$/;

/** `#L120` or `#L120-L140` (GitHub's form; `#L140-L120` is the same range); anything else is null. */
export function parseLineHash(hash: string): LineRange | null {
  const m = HASH.exec(hash);
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (a < 1 || b < 1) return null;
  return { start: Math.min(a, b), end: Math.max(a, b) };
}

export function formatLineHash(range: LineRange): string {
  return range.start === range.end ? `#L${range.start}` : `#L${range.start}-L${range.end}`;
}

export function inRange(range: LineRange | null, line: number): boolean {
  return range !== null && line >= range.start && line <= range.end;
}
