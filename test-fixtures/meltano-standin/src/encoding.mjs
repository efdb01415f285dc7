// Value encodings the real Meltano CLI uses in its system DB and logs.
import { randomBytes } from 'node:crypto';

const pad = (n, w = 2) => String(n).padStart(w, '0');

const startMicros = BigInt(Date.now()) * 1000n;
const startHr = process.hrtime.bigint();

/** The current time with microseconds from a monotonic clock, like Python's datetime.now(). */
export function preciseNow() {
  const micros = startMicros + (process.hrtime.bigint() - startHr) / 1000n;
  const date = new Date(Number(micros / 1000n));
  date.microseconds = Number(micros % 1000n);
  return date;
}

/** Naive UTC `YYYY-MM-DD HH:MM:SS.ffffff`, as SQLAlchemy stores Meltano's DATETIME columns. */
export function meltanoTimestamp(date) {
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.` +
    `${pad(date.getUTCMilliseconds(), 3)}${pad(date.microseconds ?? 0, 3)}`
  );
}

/** ISO timestamp with microseconds and Z, as Meltano's log renderer prints it. */
export function logTimestamp(date) {
  return `${meltanoTimestamp(date).replace(' ', 'T')}Z`;
}

/** UUIDv7 as 32 lowercase hex digits (Meltano >= 3.9 generates v7; SQLite stores uuid.hex). */
export function uuid7Hex(date = new Date()) {
  const ms = BigInt(date.getTime()).toString(16).padStart(12, '0');
  const rand = randomBytes(10);
  rand[0] = (rand[0] & 0x0f) | 0x70; // version 7
  rand[2] = (rand[2] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = rand.toString('hex');
  return `${ms}${hex.slice(0, 4)}${hex.slice(4, 20)}`.slice(0, 32);
}

export function dashedUuid(hex) {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Meltano's sanitize() for log folder names: `dev:tap-to-target` → `devtap-to-target`. */
export function sanitizeStateId(stateId) {
  return stateId
    .normalize('NFKD')
    .replace(/[^\p{ASCII}]/gu, '')
    .replace(/[/\\]/g, ' ')
    .replace(/\s+/g, '_')
    .replace(/[^A-Za-z0-9_.-]/g, '')
    .replace(/^[._]+|[._]+$/g, '');
}

/** One line as Meltano's structlog console renderer writes it (no colours). */
export function logLine(date, level, message, fields = {}) {
  const kv = Object.entries(fields)
    .map(([k, v]) => `${k}=${/[\s"]/.test(String(v)) ? JSON.stringify(String(v)) : v}`)
    .join(' ');
  // structlog's console renderer pads the event to 30 characters before the key=value pairs.
  return kv === ''
    ? `${logTimestamp(date)} [${level.padEnd(9)}] ${message}`
    : `${logTimestamp(date)} [${level.padEnd(9)}] ${message.padEnd(30)} ${kv}`;
}

/** A JSON string as json.dumps writes it (ensure_ascii: non-ASCII as \\uXXXX). */
function pythonString(text) {
  return JSON.stringify(text).replace(
    /[^ -~]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** JSON text as Python's json.dumps writes it (`", "`, `": "`, ensure_ascii), as Meltano's payload column holds. */
export function pythonJson(value) {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${pythonString(k)}: ${pythonJson(v)}`)
      .join(', ')}}`;
  }
  return typeof value === 'string' ? pythonString(value) : JSON.stringify(value);
}

/** `meltano.core.utils.merge(src, dest)`: objects merged key by key into `dest` (modified), the rest replaced. */
export function meltanoMerge(src, dest) {
  for (const [key, value] of Object.entries(src)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (!(key in dest)) dest[key] = {};
      meltanoMerge(value, dest[key]);
    } else dest[key] = value;
  }
  return dest;
}
