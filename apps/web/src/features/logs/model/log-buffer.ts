import { stripAnsi } from './ansi';
import { classifyLine, NO_KIND } from './line-kind';

/**
 * The loaded part of a log: bytes [startOffset, endOffset) of the file, split into lines.
 *
 * `lines` is the text split at `\n`, so its last entry is the line still being written (empty when
 * the text ends with a newline). Text appended (live follow, next page) continues that entry; text
 * prepended (an older page) that does not end in a newline finishes the first entry. Line numbers
 * are absolute: `firstLine` is the number of `lines[0]`, which the server says (`first_line`) —
 * or null while the server is still counting the lines of a large file (its first look at the
 * end); the owner asks again and sets it with `numberAt`. Until then `seq` orders the lines
 * (it stays the same for a line whatever is added or dropped around it), and keys the drawing.
 *
 * Mutable on purpose: a live log adds text many times a second to arrays of up to a few hundred
 * thousand entries, and copying them each time would cost more than drawing. The owner bumps a
 * version to re-render.
 */
export class LogBuffer {
  lines: string[] = [''];
  /** classifyLine() of each entry of `lines`. */
  kinds: number[] = [NO_KIND];
  /** `seq` of `lines[0]`: lines added above lower it, lines dropped above raise it. */
  firstSeq = 0;
  /** Line number − seq, once known. */
  private lineDelta: number | null = 1;
  startOffset = 0;
  endOffset = 0;
  /** UTF-16 units held (newlines included), to keep memory bounded. */
  chars = 0;

  static from(chunk: { offset: number; length: number; text: string; first_line: number | null }): LogBuffer {
    const buffer = new LogBuffer();
    buffer.lineDelta = chunk.first_line;
    buffer.startOffset = chunk.offset;
    buffer.endOffset = chunk.offset;
    buffer.append(chunk.text, chunk.offset + chunk.length);
    return buffer;
  }

  /** Lines to draw: the unfinished last entry counts only when it has text. */
  get count(): number {
    return this.lines.at(-1) === '' ? this.lines.length - 1 : this.lines.length;
  }

  /** Number of `lines[0]`; null until the server has counted the lines before it. */
  get firstLine(): number | null {
    return this.lineDelta === null ? null : this.firstSeq + this.lineDelta;
  }

  get lastLine(): number | null {
    const first = this.firstLine;
    return first === null ? null : first + Math.max(0, this.count - 1);
  }

  /** `seq` of the last line to draw. */
  get lastSeq(): number {
    return this.firstSeq + Math.max(0, this.count - 1);
  }

  /** The number of `lines[index]`, when known. */
  lineAt(index: number): number | null {
    const first = this.firstLine;
    return first === null ? null : first + index;
  }

  hasLine(line: number): boolean {
    const first = this.firstLine;
    return first !== null && line >= first && line < first + this.count;
  }

  /** Numbers every line, from the server's number for the line whose seq is `seq`. */
  numberAt(seq: number, line: number): void {
    this.lineDelta = line - seq;
  }

  /** Adds text that continues the file at `endOffset`; `newEnd` is the byte after it. */
  append(text: string, newEnd: number): void {
    this.endOffset = newEnd;
    if (text === '') return;
    const pieces = text.split('\n');
    const from = this.lines.length - 1;
    this.lines[from] = `${this.lines[from] ?? ''}${pieces[0] ?? ''}`;
    for (let i = 1; i < pieces.length; i += 1) this.lines.push(pieces[i] ?? '');
    this.chars += text.length;
    this.classifyFrom(from, Number.POSITIVE_INFINITY);
  }

  /**
   * Adds text that ends where the buffer starts; it starts at byte `offset`, on line `firstLine`
   * (null when the server could not say yet: the numbering, if known, carries on upwards).
   */
  prepend(text: string, offset: number, firstLine: number | null): void {
    this.startOffset = offset;
    if (text === '') return;
    const pieces = text.split('\n');
    const joined = pieces.pop() ?? '';
    this.lines[0] = `${joined}${this.lines[0] ?? ''}`;
    this.lines = pieces.concat(this.lines);
    this.kinds = new Array<number>(pieces.length).fill(NO_KIND).concat(this.kinds);
    this.firstSeq -= pieces.length;
    if (firstLine !== null) this.lineDelta = firstLine - this.firstSeq;
    this.chars += text.length;
    this.classifyFrom(0, pieces.length);
  }

  /** Drops the first `n` lines (whole ones), moving `startOffset` past them. */
  dropStart(n: number): void {
    const count = Math.min(n, this.lines.length - 1);
    if (count <= 0) return;
    const removed = this.lines.splice(0, count);
    this.kinds.splice(0, count);
    this.firstSeq += count;
    this.startOffset += bytesOf(removed) + count;
    this.chars -= charsOf(removed) + count;
  }

  /** Drops the last `n` lines to draw; the buffer then ends at the start of the first one dropped. */
  dropEnd(n: number): void {
    const keep = this.count - n;
    if (n <= 0 || keep < 1) return;
    const removed = this.lines.splice(keep);
    this.kinds.splice(keep);
    // A newline followed every removed entry but the last (the unfinished line).
    this.endOffset -= bytesOf(removed) + removed.length - 1;
    this.lines.push('');
    this.kinds.push(classifyLine('', this.kinds.at(-1) ?? NO_KIND));
    this.chars -= charsOf(removed) + removed.length - 1;
  }

  /**
   * Classifies entries from `from` on. Entries after `settled` were classified before with what
   * came before them; once one comes out the same, the context has caught up and the rest stand.
   */
  private classifyFrom(from: number, settled: number): void {
    for (let i = from; i < this.lines.length; i += 1) {
      const previous = i === 0 ? NO_KIND : (this.kinds[i - 1] ?? NO_KIND);
      const kind = classifyLine(stripAnsi(this.lines[i] ?? ''), previous);
      if (i > settled && this.kinds[i] === kind) return;
      this.kinds[i] = kind;
    }
  }
}

function charsOf(lines: string[]): number {
  let n = 0;
  for (const line of lines) n += line.length;
  return n;
}

function bytesOf(lines: string[]): number {
  let n = 0;
  for (const line of lines) n += utf8Length(line);
  return n;
}

/** UTF-8 byte length of a string, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * How many lines to drop (from the end or the start) to get back under `maxLines` and `maxChars`;
 * it drops down to 90% of them, so a buffer at its limit is trimmed once per many pages, not per page.
 */
export function overflow(buffer: LogBuffer, maxLines: number, maxChars: number, fromEnd: boolean): number {
  if (buffer.count <= maxLines && buffer.chars <= maxChars) return 0;
  const lineTarget = Math.floor(maxLines * 0.9);
  const charTarget = Math.floor(maxChars * 0.9);
  let drop = Math.max(0, buffer.count - lineTarget);
  let chars = buffer.chars;
  const last = buffer.count - 1;
  const lengthOf = (i: number) => (buffer.lines[fromEnd ? last - i : i]?.length ?? 0) + 1;
  for (let i = 0; i < drop; i += 1) chars -= lengthOf(i);
  while (chars > charTarget && drop < buffer.count - 1) {
    chars -= lengthOf(drop);
    drop += 1;
  }
  return drop;
}
