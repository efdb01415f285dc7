/**
 * What kind of line a log line is, for highlighting: its level, and whether it belongs to a Python
 * traceback. Meltano writes `2026-11-21T04:39:48.405210Z [error    ] message key=value`; a message
 * over several lines and the traceback Meltano 3/4 print after a failure come without that prefix,
 * so a line without one takes its level from the line before. A kind is a small number, so a few
 * hundred thousand of them cost little.
 */

export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';

const LEVELS: readonly (LogLevel | null)[] = [null, 'debug', 'info', 'warning', 'error', 'critical'];
const LEVEL_MASK = 0b111;
const TRACEBACK = 1 << 3;
// Inside a traceback whose exception line has not come yet; the next frame lines continue it.
const OPEN = 1 << 4;
const PREFIXED = 1 << 5;
// Lines from other programs may be interleaved with a prefixed traceback (the tap's frames between
// the target's lines): a traceback stays open across this many of them.
const TTL_SHIFT = 6;
const TTL_MAX = 7;

export const NO_KIND = 0;

const PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)? +\[ *([A-Za-z]+) *\] ?/;
const TRACEBACK_START = /^Traceback \(most recent call last\)/;
const CHAINED = /^(During handling of the above exception|The above exception was the direct cause)/;
const FILE_FRAME = /^\s+File "/;
const FRAME = /^\s+\S/;
const EXCEPTION = /^[A-Za-z_][\w.]*:(\s|$)|^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)$/;

export interface MeltanoPrefix {
  /** Length of the timestamp. */
  timestamp: number;
  /** Where the `[level]` column starts and ends. */
  levelStart: number;
  levelEnd: number;
}

/** Where the timestamp and level column of a Meltano line are, in its visible text. */
export function meltanoPrefix(plain: string): MeltanoPrefix | null {
  const m = PREFIX.exec(plain);
  if (!m) return null;
  const levelStart = plain.indexOf('[');
  return { timestamp: plain.indexOf(' '), levelStart, levelEnd: plain.indexOf(']', levelStart) + 1 };
}

/** The kind of a line, given its visible text and the kind of the line before (NO_KIND at the top). */
export function classifyLine(plain: string, previous: number): number {
  const prefix = PREFIX.exec(plain);
  if (prefix) {
    const level = levelCode(prefix[1] ?? '');
    return PREFIXED | level | tracebackState(plain.slice(prefix[0].length), previous, true);
  }
  return (previous & LEVEL_MASK) | tracebackState(plain, previous, false);
}

function tracebackState(message: string, previous: number, prefixed: boolean): number {
  const open = (previous & OPEN) !== 0;
  // A `File "…"` frame is a traceback wherever it is: it re-opens one that interleaved lines closed.
  if (TRACEBACK_START.test(message) || FILE_FRAME.test(message))
    return TRACEBACK | OPEN | (TTL_MAX << TTL_SHIFT);
  if (!open) return CHAINED.test(message) ? TRACEBACK : 0;
  if (FRAME.test(message)) return TRACEBACK | OPEN | (TTL_MAX << TTL_SHIFT);
  if (!prefixed) {
    // Python ends a traceback with one unindented line: the exception. A blank line is not it.
    return message.trim() === '' ? OPEN | (previous & (TTL_MAX << TTL_SHIFT)) : TRACEBACK;
  }
  if (EXCEPTION.test(message)) return TRACEBACK;
  const ttl = ((previous >> TTL_SHIFT) & 0b111) - 1;
  return ttl > 0 ? OPEN | (ttl << TTL_SHIFT) : 0;
}

function levelCode(name: string): number {
  const level = name.toLowerCase();
  if (level === 'debug' || level === 'trace') return 1;
  if (level.startsWith('warn')) return 3;
  if (level === 'error' || level === 'exception' || level === 'err') return 4;
  if (level === 'critical' || level === 'fatal') return 5;
  return 2;
}

export function levelOf(kind: number): LogLevel | null {
  return LEVELS[kind & LEVEL_MASK] ?? null;
}

export function isTraceback(kind: number): boolean {
  return (kind & TRACEBACK) !== 0;
}

export function hasPrefix(kind: number): boolean {
  return (kind & PREFIXED) !== 0;
}
