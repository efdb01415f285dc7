import { describe, expect, it } from 'vitest';
import { PickleError, unpickle } from '../../src/plugin-settings/python-pickle.js';

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));

// Bytes produced once with `pickle.dumps(value, protocol=5|2).hex()` (CPython 3) and pasted here.
describe('unpickle', () => {
  it.each([
    ['None', '80054e2e', null],
    ['True', '8005882e', true],
    ['False', '8005892e', false],
    ['BININT1', '80054b072e', 7],
    ['BININT2', '80059504000000000000004d2c012e', 300],
    ['BININT negative', '80059506000000000000004afbffffff2e', -5],
    ['LONG1 2**70', '8005950c000000000000008a090000000000000000402e', 2n ** 70n],
    ['LONG1 -(2**40)', '80059509000000000000008a060000000000ff2e', -(2 ** 40)],
    ['BINFLOAT', '8005950a00000000000000473ff80000000000002e', 1.5],
    ['SHORT_BINUNICODE utf-8', '8005950a000000000000008c0668c3a96c6c6f942e', 'héllo'],
    ['list with APPENDS', '8005950c000000000000005d94284b018c0161944e652e', [1, 'a', null]],
    ['TUPLE2', '80059507000000000000004b014b0286942e', [1, 2]],
    [
      'nested dict',
      '8005952c000000000000007d94288c0161944b018c0162945d942888474004000000000000658c0163947d948c0164948c01659473752e',
      { a: 1, b: [true, 2.5], c: { d: 'e' } },
    ],
    ['protocol 2 BINUNICODE + BINPUT', '8002580300000061626371002e', 'abc'],
    [
      'protocol 2 dict',
      '80027d71002858010000006b7101580100000076710258010000006e71035d7104284b014b0265752e',
      { k: 'v', n: [1, 2] },
    ],
  ])('%s', (_name, bytes, expected) => {
    expect(unpickle(hex(bytes))).toEqual(expected);
  });

  it('decodes bytes', () => {
    expect(unpickle(hex('800595060000000000000043020001942e'))).toEqual(Uint8Array.from([0, 1]));
  });

  it('shares memoized objects (BINGET)', () => {
    const value = unpickle(hex('8005950e000000000000005d94285d948c017894616801652e')) as unknown[][];
    expect(value).toEqual([['x'], ['x']]);
    expect(value[0]).toBe(value[1]);
  });

  it('decodes BINUNICODE of 300 chars', () => {
    const bytes = Buffer.concat([
      hex('8005953301000000000000582c010000'),
      Buffer.alloc(300, 'x'),
      hex('942e'),
    ]);
    expect(unpickle(Uint8Array.from(bytes))).toBe('x'.repeat(300));
  });

  it('decodes the values real Meltano stored (SQLite dumps and psql \\x output)', () => {
    expect(unpickle(hex('80059512000000000000008c0e6f75747075742d66726f6d2d6462942e'))).toBe(
      'output-from-db',
    );
    expect(unpickle(hex('8005950d000000000000008c09736b2d64622d343536942e'))).toBe('sk-db-456');
  });

  it('refuses code-running opcodes instead of executing them', () => {
    // pickle.dumps(os.system): STACK_GLOBAL
    expect(() => unpickle(hex('80059514000000000000008c05706f736978948c0673797374656d9493942e'))).toThrow(
      /Refusing pickle opcode STACK_GLOBAL/,
    );
    expect(() => unpickle(hex('8005 63 6f730a73797374656d0a 2e'))).toThrow(/GLOBAL/);
    expect(() => unpickle(hex('80054e 52 2e'))).toThrow(/REDUCE/);
    expect(() => unpickle(hex('80054e 62 2e'))).toThrow(/BUILD/);
  });

  it('rejects unsupported and malformed data', () => {
    expect(() => unpickle(hex('80059507000000000000008f94284b01902e'))).toThrow(PickleError); // a set
    expect(() => unpickle(hex('80058c0a6162'))).toThrow(/truncated/);
    expect(() => unpickle(hex('80054e4e2e'))).toThrow(/exactly one value/);
  });
});
