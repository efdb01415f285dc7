import { describe, expect, it } from 'vitest';
import { color256, parseAnsi, stripAnsi } from './ansi';

describe('parseAnsi', () => {
  it('turns SGR colour codes into styled segments that remember their raw position', () => {
    expect(parseAnsi('a \x1b[31mred\x1b[0m b')).toEqual([
      { text: 'a ', rawStart: 0, style: null },
      { text: 'red', rawStart: 7, style: { fg: 1 } },
      { text: ' b', rawStart: 14, style: null },
    ]);
  });

  it('handles bold, underline, bright colours, backgrounds and partial resets', () => {
    const [seg] = parseAnsi('\x1b[1;4;92;44mx');
    expect(seg?.style).toEqual({ bold: true, underline: true, fg: 10, bg: 4 });
    const segments = parseAnsi('\x1b[1;31mA\x1b[22mB\x1b[39mC\x1b[mD');
    expect(segments.map((s) => [s.text, s.style])).toEqual([
      ['A', { bold: true, fg: 1 }],
      ['B', { bold: false, dim: false, fg: 1 }],
      ['C', null],
      ['D', null],
    ]);
  });

  it('degrades 256 colours and true colour to CSS colours', () => {
    expect(parseAnsi('\x1b[38;5;196mx')[0]?.style).toEqual({ fg: 'rgb(255, 0, 0)' });
    expect(parseAnsi('\x1b[38;5;3mx')[0]?.style).toEqual({ fg: 3 });
    expect(parseAnsi('\x1b[48;5;244mx')[0]?.style).toEqual({ bg: 'rgb(128, 128, 128)' });
    expect(parseAnsi('\x1b[38;2;10;20;30;1mx')[0]?.style).toEqual({ fg: 'rgb(10, 20, 30)', bold: true });
    expect(parseAnsi('\x1b[38:2::10:20:30mx')[0]?.style).toEqual({ fg: 'rgb(10, 20, 30)' });
    expect(parseAnsi('\x1b[38;2;10mx')[0]?.style ?? null).toBeNull();
  });

  it('drops other escape sequences and control characters', () => {
    expect(stripAnsi('\x1b[2K\x1b[1Gprogress\x1b]0;title\x07 done\x1b(B\r')).toBe('progress done');
    expect(stripAnsi('tab\tkept\x00\x08')).toBe('tab\tkept');
    expect(stripAnsi('plain')).toBe('plain');
    expect(parseAnsi('\x1b[2Kx').map((s) => s.text)).toEqual(['x']);
    expect(parseAnsi('ends with \x1b')).toEqual([{ text: 'ends with ', rawStart: 0, style: null }]);
  });

  it('maps the xterm palette', () => {
    expect(color256(16)).toBe('rgb(0, 0, 0)');
    expect(color256(231)).toBe('rgb(255, 255, 255)');
    expect(color256(232)).toBe('rgb(8, 8, 8)');
  });
});
