import { InvalidInputError } from '../errors.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const PART = /(\d+(?:\.\d+)?)\s*([smhd])/gy;

/**
 * `900`, `90s`, `15m`, `1h30m`, `1.5h`, `2d` → seconds. A bare number is seconds, as in Meltano's own
 * duration-like settings. Throws InvalidInputError naming `what` for anything else (a typo in a setting
 * must stop the boot, not quietly fall back to a default).
 */
export function parseDurationSeconds(value: string | number, what: string): number {
  if (typeof value === 'number') return checked(value, value, what);
  const text = value.trim().toLowerCase();
  if (/^\d+(?:\.\d+)?$/.test(text)) return checked(Number(text), value, what);
  let total = 0;
  let end = 0;
  PART.lastIndex = 0;
  for (let match = PART.exec(text); match !== null; match = PART.exec(text)) {
    total += Number(match[1]) * (UNIT_SECONDS[match[2] ?? 's'] ?? 1);
    end = PART.lastIndex;
    while (text[PART.lastIndex] === ' ') PART.lastIndex++;
  }
  if (text === '' || end !== text.length) {
    throw new InvalidInputError(
      `${what} must be a duration such as 900 (seconds), 90s, 15m, 1h30m or 2d, got ${JSON.stringify(value)}`,
    );
  }
  return checked(total, value, what);
}

function checked(seconds: number, raw: unknown, what: string): number {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new InvalidInputError(
      `${what} must be a duration of 0 seconds or more, got ${JSON.stringify(raw)}`,
    );
  }
  return seconds;
}
