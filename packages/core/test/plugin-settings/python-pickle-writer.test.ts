import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parsePythonJson } from '../../src/plugin-settings/python-json.js';
import { unpickle } from '../../src/plugin-settings/python-pickle.js';
import { pickleDumps } from '../../src/plugin-settings/python-pickle-writer.js';
import { type PyValue, pyFromJs } from '../../src/plugin-settings/python-value.js';
import { realMeltano } from '../project/fixture-paths.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// Expected bytes: CPython 3.11 `pickle.dumps(json.loads(text), protocol=5).hex()`, i.e. what SQLAlchemy's
// PickleType stores when `meltano config set` casts the same text (json.loads for object/array kinds).
describe('pickleDumps writes what Python pickle.dumps(value, 5) writes', () => {
  it.each([
    ['str', '"output-from-db"', '80059512000000000000008c0e6f75747075742d66726f6d2d6462942e'],
    ['empty str', '""', '80059504000000000000008c00942e'],
    [
      'non-ASCII str',
      '"h\\u00e9llo \\u65e5\\u672c \\ud83d\\ude00"',
      '80059516000000000000008c1268c3a96c6c6f20e697a5e69cac20f09f9880942e',
    ],
    ['lone surrogate (surrogatepass)', '"\\ud800"', '80059507000000000000008c03eda080942e'],
    ['true', 'true', '8005882e'],
    ['false', 'false', '8005892e'],
    ['null', 'null', '80054e2e'],
    ['0', '0', '80054b002e'],
    ['255', '255', '80054bff2e'],
    ['256', '256', '80059504000000000000004d00012e'],
    ['65535', '65535', '80059504000000000000004dffff2e'],
    ['65536', '65536', '80059506000000000000004a000001002e'],
    ['-1', '-1', '80059506000000000000004affffffff2e'],
    ['2**31-1', '2147483647', '80059506000000000000004affffff7f2e'],
    ['2**31', '2147483648', '80059508000000000000008a0500000080002e'],
    ['-2**31-1', '-2147483649', '80059508000000000000008a05ffffff7fff2e'],
    ['2**100', '1267650600228229401496703205376', '80059510000000000000008a0d000000000000000000000000102e'],
    ['-2**100', '-1267650600228229401496703205376', '80059510000000000000008a0d000000000000000000000000f02e'],
    ['1.0 (a float)', '1.0', '8005950a00000000000000473ff00000000000002e'],
    ['-0.0', '-0.0', '8005950a000000000000004780000000000000002e'],
    ['1e300', '1e300', '8005950a00000000000000477e37e43c8800759c2e'],
    ['0.1', '0.1', '8005950a00000000000000473fb999999999999a2e'],
    ['empty list', '[]', '80055d942e'],
    ['one-item list (APPEND)', '["a"]', '80059508000000000000005d948c016194612e'],
    [
      'list (APPENDS), equal strings not shared',
      '[1, "ab", "ab", null, 2.5]',
      '8005951b000000000000005d94284b018c026162948c026162944e474004000000000000652e',
    ],
    ['empty dict', '{}', '80057d942e'],
    ['one-item dict (SETITEM)', '{"k": "v"}', '8005950c000000000000007d948c016b948c017694732e'],
    [
      'dict keys shared across nested dicts (json.loads memoizes keys)',
      '{"stream": {"key": "a", "stream": "key"}, "other": {"key": "b"}}',
      '80059535000000000000007d94288c0673747265616d947d94288c036b6579948c01619468018c036b657994758c056f74686572947d9468038c01629473752e',
    ],
    [
      'empty and one-Latin-1-char strings shared (CPython caches them)',
      '["a", "a", "\u00e9", "\u00e9", "\u65e5", "\u65e5", "", ""]',
      '80059523000000000000005d94288c01619468018c02c3a99468028c03e697a5948c03e697a5948c00946805652e',
    ],
    [
      'dict order with numeric keys',
      '{"b": 1, "1": 2, "a": 3}',
      '80059517000000000000007d94288c0162944b018c0131944b028c0161944b03752e',
    ],
    [
      'repeated key keeps its first place',
      '{"a": 1, "b": 2, "a": 3}',
      '80059511000000000000007d94288c0161944b038c0162944b02752e',
    ],
  ])('%s', (_name, text, expected) => {
    const bytes = pickleDumps(parsePythonJson(text));
    expect(hex(bytes)).toBe(expected);
  });

  it('BINUNICODE for 300 characters', () => {
    const bytes = pickleDumps('x'.repeat(300));
    expect(hex(bytes)).toBe(`8005953301000000000000582c010000${'78'.repeat(300)}942e`);
  });

  it.each([
    [
      'list(range(40000)): several 64 KiB frames',
      Array.from({ length: 40000 }, (_, i) => i),
      119847,
      'a7a65aaccd7c9ecfc06eb5fdee34dd0efe80e2ff0c2b0f3310a842167ce4e7a1',
    ],
    [
      '1001 strings: batches of 1000',
      Array.from({ length: 1001 }, (_, i) => `v${i}`),
      6916,
      '2a9c970d8f1233cffbd87b4fa2d2f47250bfb68007508c5423767deb76eef919',
    ],
    [
      'dict of exactly 1000 items: trailing empty MARK SETITEMS',
      Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])),
      9652,
      '8ed5f1258fc14f3c7fb3d694967351aa6376aa38a79f34532c48c2c904a03f8c',
    ],
    [
      'dict of 2500 items',
      Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`k${i}`, [i, i + 0.5]])),
      58654,
      'a5546d0a34f2f5bdf93c447487cd6e650d5766801e207849926acabff2290869',
    ],
    [
      'a 70000-character str in a list: written outside frames',
      ['y'.repeat(70000), 'z'],
      70026,
      '46c24eb1f4ded6a3d5113479e17250a506baacaeaa35d0d142987064788b8ba6',
    ],
    [
      'a 70000-character str',
      'y'.repeat(70000),
      70009,
      'ddb2442fbb0d3e73980104acb000ff627df6d3c411807c5610e476a25fdc0f1a',
    ],
  ])('%s (length and sha256 of Python’s bytes)', (_name, value, length, digest) => {
    const bytes = pickleDumps(pyFromJs(value));
    expect(bytes.length).toBe(length);
    expect(sha256(bytes)).toBe(digest);
  });

  it('pickles Decimal as Meltano stores a kind: decimal value, and reads it back as a number', () => {
    const bytes = pickleDumps({ py: 'decimal', text: '1.50' });
    expect(hex(bytes)).toBe(
      '80059522000000000000008c07646563696d616c948c07446563696d616c9493948c04312e353094859452942e',
    );
    expect(unpickle(bytes)).toBe(1.5);
  });

  it('round-trips through the reader', () => {
    const value: PyValue = parsePythonJson('{"a": [1, 2.5, "x", null, true], "b": {"c": "d"}, "e": ""}');
    expect(unpickle(pickleDumps(value))).toEqual({ a: [1, 2.5, 'x', null, true], b: { c: 'd' }, e: '' });
  });
});

describe.each(['v2.20.0', 'v3.9.5', 'v4.2.2'])(
  'the plugin_settings rows real Meltano %s wrote',
  (version) => {
    it('are reproduced byte for byte from their decoded values', () => {
      const db = new Database(join(realMeltano(version), '.meltano', 'meltano.db'), { readonly: true });
      try {
        const rows = db.prepare('select name, value from plugin_settings').all() as {
          name: string;
          value: Buffer;
        }[];
        expect(rows.map((row) => row.name).sort()).toEqual(['api_key', 'output_dir']);
        for (const row of rows) {
          const bytes = Uint8Array.from(row.value);
          expect(hex(pickleDumps(unpickle(bytes) as string))).toBe(hex(bytes));
        }
      } finally {
        db.close();
      }
    });
  },
);
