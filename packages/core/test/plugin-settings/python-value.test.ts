import { describe, expect, it } from 'vitest';
import { PythonJsonError, parsePythonJson } from '../../src/plugin-settings/python-json.js';
import {
  pyDecimalStr,
  pyFloat,
  pyFloatRepr,
  pyInt,
  pyJsonDumps,
  pyStr,
  pyToJs,
} from '../../src/plugin-settings/python-value.js';

// Expected strings printed by CPython 3.11 (`repr(f)`, `str(Decimal(t))`, `json.dumps(json.loads(t))`).
describe('Python spellings of values', () => {
  it.each([
    [1.0, '1.0'],
    [-0.0, '-0.0'],
    [0.1, '0.1'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [123456789.0, '123456789.0'],
    [0.0001, '0.0001'],
    [1e-5, '1e-05'],
    [1.5e300, '1.5e+300'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [2.5, '2.5'],
    [100.0, '100.0'],
    [1e22, '1e+22'],
    [-3.25e-7, '-3.25e-07'],
  ])('repr(%s) is %s', (value, expected) => {
    expect(pyFloatRepr(value)).toBe(expected);
  });

  it.each([
    ['1.50', '1.50'],
    ['+.5', '0.5'],
    ['5.', '5'],
    ['007.10', '7.10'],
    ['-.5', '-0.5'],
    ['0.0000001', '1E-7'],
    ['0.00000010', '1.0E-7'],
    ['0.00', '0.00'],
    ['1e3', '1E+3'],
    ['1E-3', '0.001'],
    ['-0', '-0'],
    ['12.5e-10', '1.25E-9'],
    ['123456789e-2', '1234567.89'],
    ['1.2e+7', '1.2E+7'],
  ])('str(Decimal(%s)) is %s', (text, expected) => {
    expect(pyDecimalStr(text)).toBe(expected);
  });

  it('refuses text that is not a decimal number', () => {
    for (const text of ['', '.', 'abc', '1.2.3', 'NaN', 'Infinity', '1e'])
      expect(pyDecimalStr(text)).toBeNull();
  });

  it('json.dumps: separators, ensure_ascii, float repr', () => {
    const value = parsePythonJson(
      '{"a": [1, 2.5, true, null, "\\u00e9\\n\\"\\\\/\\u2028\\ud83d\\ude00\\u007f"], "b": 1e16, "c": 1e-05, "d": 1.0, "e": {}}',
    );
    expect(pyJsonDumps(value)).toBe(
      '{"a": [1, 2.5, true, null, "\\u00e9\\n\\"\\\\/\\u2028\\ud83d\\ude00\\u007f"], "b": 1e+16, "c": 1e-05, "d": 1.0, "e": {}}',
    );
  });

  it('str() as Meltano writes kind-less values to .env', () => {
    expect([pyStr(true), pyStr(null), pyStr(pyInt(42)), pyStr(pyFloat(2)), pyStr('text')]).toEqual([
      'True',
      'None',
      '42',
      '2.0',
      'text',
    ]);
  });
});

describe('parsePythonJson', () => {
  it('tells ints from floats and keeps dict order', () => {
    const value = parsePythonJson('{"b": 1, "1": 1.0, "a": [-0, 12345678901234567890]}');
    expect(value).toEqual({
      py: 'dict',
      entries: [
        ['b', pyInt(1)],
        ['1', pyFloat(1)],
        ['a', [pyInt(0), pyInt(12345678901234567890n)]],
      ],
    });
    expect([...(pyToJs(value) as Map<string, unknown>).keys()]).toEqual(['b', '1', 'a']);
  });

  it.each([
    ['{"a": 1,}', 'Expecting'],
    ['[1 2]', "Expecting ','"],
    ['"tab\there"', 'Invalid control character'],
    ['NaN', 'Expecting value'],
    ['1e999', 'Number out of range'],
    ['{} x', 'Extra data'],
    ['"\\x"', 'Invalid \\escape'],
  ])('refuses %s', (text, message) => {
    expect(() => parsePythonJson(text)).toThrow(PythonJsonError);
    expect(() => parsePythonJson(text)).toThrow(message);
  });
});
