/**
 * Terminal colour codes in log text (dbt, Singer SDK taps and Meltano itself colour their output
 * when asked) turned into styled runs of plain text, so they render as colour instead of `[32m`.
 */

/** A colour: 0–15 is a theme palette entry (a CSS class); a string is a fixed CSS colour. */
export type AnsiColor = number | string;

export interface AnsiStyle {
  fg?: AnsiColor;
  bg?: AnsiColor;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strike?: boolean;
}

/** A run of visible text and where it started in the raw line (search columns are raw). */
export interface AnsiSegment {
  text: string;
  rawStart: number;
  style: AnsiStyle | null;
}

// CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`), other two-byte escapes, a lone ESC, and C0 control
// characters other than tab: none of them is text.
const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()][0-9A-Za-z]|\x1b[@-_]?|[\x00-\x08\x0b-\x1f\x7f]/g;

export function hasControl(raw: string): boolean {
  CONTROL.lastIndex = 0;
  return CONTROL.test(raw);
}

/** The visible text of a raw line. */
export function stripAnsi(raw: string): string {
  return raw.includes('\x1b') || hasControl(raw) ? raw.replace(CONTROL, '') : raw;
}

/** Splits a raw line into styled segments; SGR codes set the style, every other code is dropped. */
export function parseAnsi(raw: string): AnsiSegment[] {
  const segments: AnsiSegment[] = [];
  let style: AnsiStyle = {};
  let last = 0;
  const push = (end: number) => {
    if (end > last) {
      segments.push({
        text: raw.slice(last, end),
        rawStart: last,
        style: isPlain(style) ? null : { ...style },
      });
    }
  };
  CONTROL.lastIndex = 0;
  for (let m = CONTROL.exec(raw); m !== null; m = CONTROL.exec(raw)) {
    push(m.index);
    last = m.index + m[0].length;
    if (m[2] === 'm') style = applySgr(style, m[1] ?? '');
  }
  push(raw.length);
  return segments;
}

function isPlain(style: AnsiStyle): boolean {
  return Object.values(style).every((v) => v === undefined || v === false);
}

function applySgr(current: AnsiStyle, params: string): AnsiStyle {
  const style = { ...current };
  const parts = (params === '' ? '0' : params).split(';');
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] ?? '';
    const code = Number(part.split(':')[0] || '0');
    if (code === 38 || code === 48) {
      // `38:5:n` / `38:2:[space]:r:g:b` (colon sub-parameters) or `38;5;n` / `38;2;r;g;b`.
      const sub = part.includes(':') ? part.split(':').slice(1).map(Number) : null;
      const { color, used } = sub
        ? extendedColor(sub, true)
        : extendedColor(parts.slice(i + 1).map(Number), false);
      if (color !== undefined) {
        if (code === 38) style.fg = color;
        else style.bg = color;
      }
      i += used;
    } else {
      applyCode(style, code);
    }
  }
  return style;
}

function applyCode(style: AnsiStyle, code: number): void {
  if (code === 0) Object.assign(style, RESET);
  else if (code === 1) style.bold = true;
  else if (code === 2) style.dim = true;
  else if (code === 3) style.italic = true;
  else if (code === 4) style.underline = true;
  else if (code === 7) style.inverse = true;
  else if (code === 9) style.strike = true;
  else if (code === 21 || code === 22) {
    style.bold = false;
    style.dim = false;
  } else if (code === 23) style.italic = false;
  else if (code === 24) style.underline = false;
  else if (code === 27) style.inverse = false;
  else if (code === 29) style.strike = false;
  else if (code >= 30 && code <= 37) style.fg = code - 30;
  else if (code >= 90 && code <= 97) style.fg = code - 90 + 8;
  else if (code >= 40 && code <= 47) style.bg = code - 40;
  else if (code >= 100 && code <= 107) style.bg = code - 100 + 8;
  else if (code === 39) style.fg = undefined;
  else if (code === 49) style.bg = undefined;
}

const RESET: AnsiStyle = {
  fg: undefined,
  bg: undefined,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  inverse: false,
  strike: false,
};

/**
 * The colour after a 38/48: `5, n` (256 colours) or `2, r, g, b` (true colour); with colon
 * sub-parameters a colour-space id may sit before r, g, b. `used` is how many `;` parameters it took.
 */
function extendedColor(args: number[], colon: boolean): { color: AnsiColor | undefined; used: number } {
  const [mode] = args;
  if (mode === 5) {
    const n = args[1];
    return { color: n === undefined || Number.isNaN(n) ? undefined : color256(n), used: colon ? 0 : 2 };
  }
  if (mode === 2) {
    const rgb = colon && args.length >= 5 ? args.slice(-3) : args.slice(1, 4);
    const used = colon ? 0 : Math.min(4, args.length);
    if (rgb.length < 3 || rgb.some((n) => Number.isNaN(n))) return { color: undefined, used };
    const [r, g, b] = rgb.map(clampByte);
    return { color: `rgb(${r}, ${g}, ${b})`, used };
  }
  return { color: undefined, used: colon ? 0 : 1 };
}

function clampByte(n: number | undefined): number {
  return Math.max(0, Math.min(255, Math.round(n ?? 0)));
}

const CUBE = [0, 95, 135, 175, 215, 255];

/** xterm's 256-colour table: the 16 theme colours, a 6×6×6 cube, then 24 greys. */
export function color256(n: number): AnsiColor {
  const i = clampByte(n);
  if (i < 16) return i;
  if (i >= 232) {
    const grey = 8 + (i - 232) * 10;
    return `rgb(${grey}, ${grey}, ${grey})`;
  }
  const c = i - 16;
  return `rgb(${CUBE[Math.floor(c / 36)]}, ${CUBE[Math.floor(c / 6) % 6]}, ${CUBE[c % 6]})`;
}
