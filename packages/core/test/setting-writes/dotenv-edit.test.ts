import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../src/project/dotenv.js';
import { setDotenvKey, unsetDotenvKeys } from '../../src/setting-writes/dotenv-edit.js';

describe('setDotenvKey', () => {
  it("replaces the key's line as python-dotenv set_key does, every other byte kept", () => {
    const text = "# secrets\nA=1\nTAP_X_TOKEN=old   # rotated monthly\n\nB='two'\n";
    expect(setDotenvKey(text, 'TAP_X_TOKEN', 'new')).toBe(
      "# secrets\nA=1\nTAP_X_TOKEN='new'   # rotated monthly\n\nB='two'\n",
    );
  });

  it('appends a new key, adding the missing final newline first', () => {
    expect(setDotenvKey('A=1', 'B', 'x')).toBe("A=1\nB='x'\n");
    expect(setDotenvKey('', 'B', 'x')).toBe("B='x'\n");
    expect(setDotenvKey('A=1\r\n', 'B', 'x')).toBe("A=1\r\nB='x'\r\n");
  });

  it('keeps an export prefix and replaces a quoted value spanning lines whole', () => {
    const text = 'export KEY="line1\nline2"\nNEXT=1\n';
    expect(setDotenvKey(text, 'KEY', 'v')).toBe("export KEY='v'\nNEXT=1\n");
  });

  it('writes values that python-dotenv reads back exactly', () => {
    for (const value of [
      "it's",
      'back\\slash',
      'ends with \\',
      'two\nlines',
      '#not a comment',
      ' padded ',
      '',
    ]) {
      const text = setDotenvKey('OTHER=1\n', 'KEY', value);
      expect(parseDotenv(text, {}).KEY, JSON.stringify(value)).toBe(value);
      expect(parseDotenv(text, {}).OTHER).toBe('1');
    }
  });

  it('replaces every line of a repeated key', () => {
    expect(setDotenvKey('K=1\nA=2\nK=3\n', 'K', 'x')).toBe("K='x'\nA=2\nK='x'\n");
  });
});

describe('unsetDotenvKeys', () => {
  it('removes the whole lines of each key, multi-line values included', () => {
    const text = "A=1\nK1='a\nb'\n# keep\nK2=2 # gone too\nB=3";
    expect(unsetDotenvKeys(text, ['K1', 'K2'])).toBe('A=1\n# keep\nB=3');
  });

  it('leaves the text alone when no key is there, BOM included', () => {
    const text = '\uFEFFA=1\n';
    expect(unsetDotenvKeys(text, ['B'])).toBe(text);
    expect(unsetDotenvKeys(text, ['A'])).toBe('\uFEFF');
  });
});
