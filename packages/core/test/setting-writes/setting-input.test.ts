import { describe, expect, it } from 'vitest';
import { Document, Scalar } from 'yaml';
import { InvalidInputError } from '../../src/errors.js';
import { pyFloat, pyInt } from '../../src/plugin-settings/python-value.js';
import type { SettingDefinition } from '../../src/project/project.types.js';
import { settingValue } from '../../src/setting-writes/setting-input.js';

function def(kind: string | null, extra: Partial<SettingDefinition> = {}): SettingDefinition {
  return {
    name: 'the_setting',
    kind,
    label: null,
    description: null,
    value: null,
    sensitive: false,
    hidden: false,
    env: null,
    aliases: [],
    options: [],
    ...extra,
  };
}

describe('settingValue: what each store gets for a kind', () => {
  it('boolean: true/false words as Meltano’s truthy, .env as JSON', () => {
    expect(settingValue(def('boolean'), 'Yes')).toMatchObject({ py: true, yaml: true, env: 'true' });
    expect(settingValue(def('boolean'), false)).toMatchObject({ py: false, yaml: false, env: 'false' });
  });

  it('integer: from a number or digits', () => {
    expect(settingValue(def('integer'), ' 42 ')).toEqual({ py: pyInt(42), yaml: 42, data: 42, env: '42' });
    expect(settingValue(def('integer'), -7).env).toBe('-7');
  });

  it('decimal: Decimal in the DB, its text in .env, its digits in YAML', () => {
    const value = settingValue(def('decimal'), '1.50');
    expect(value.py).toEqual({ py: 'decimal', text: '1.50' });
    expect(value.env).toBe('1.50');
    expect(value.data).toBe(1.5);
    expect(value.yaml).toBeInstanceOf(Scalar);
    expect(new Document(value.yaml).toString()).toBe('1.50\n');
  });

  it('options: one of the option values, given as text or as the value', () => {
    const options = def('options', {
      options: [
        { label: 'Fast', value: 'fast' },
        { label: 'Ten', value: 10 },
      ],
    });
    expect(settingValue(options, 'fast')).toMatchObject({ py: 'fast', env: 'fast' });
    expect(settingValue(options, '10')).toMatchObject({ py: pyInt(10), yaml: 10, env: '10' });
  });

  it('object and array: JSON text keeps Python types and order; .env gets json.dumps', () => {
    const object = settingValue(def('object'), '{"b": 1.0, "1": [true]}');
    expect(object.py).toEqual({
      py: 'dict',
      entries: [
        ['b', pyFloat(1)],
        ['1', [true]],
      ],
    });
    expect(object.env).toBe('{"b": 1.0, "1": [true]}');
    expect([...(object.yaml as Map<string, unknown>).keys()]).toEqual(['b', '1']);
    expect(object.data).toEqual({ b: 1, 1: [true] });
    expect(settingValue(def('array'), ['a', 2]).env).toBe('["a", 2]');
  });

  it('kind-less: the given scalar, str() in .env', () => {
    expect(settingValue(def(null), true)).toMatchObject({ py: true, yaml: true, env: 'True' });
    expect(settingValue(def(null), 'x')).toMatchObject({ py: 'x', env: 'x' });
  });

  it('strings, secrets, dates and emails stay text', () => {
    expect(settingValue(def('password'), 's3cr3t').env).toBe('s3cr3t');
    expect(settingValue(def('date_iso8601'), '2024-02-29T10:00:00Z').yaml).toBe('2024-02-29T10:00:00Z');
    expect(settingValue(def('email'), 'a@b.io').py).toBe('a@b.io');
  });

  it.each([
    ['boolean', 'maybe', 'must be true or false'],
    ['integer', '1.5', 'must be a whole number'],
    ['integer', 2 ** 60, 'is too large'],
    ['integer', '9007199254740993', 'is too large'],
    ['decimal', 'abc', 'must be a decimal number'],
    ['object', '[1]', 'must be a JSON object'],
    ['object', '{bad', 'is not valid JSON'],
    ['array', { a: 1 }, 'must be a JSON array'],
    ['date_iso8601', '2023-02-29', 'must be an ISO 8601 date'],
    ['email', 'nobody', 'must be an email address'],
    ['string', 5, 'must be a string'],
    ['string', '(redacted)', 'placeholder'],
    ['string', null, 'unset it'],
    [null, { a: 1 }, 'must be a string, number or boolean'],
  ])('%s refuses %j', (kind, input, message) => {
    const call = () => settingValue(def(kind), input);
    expect(call).toThrow(InvalidInputError);
    expect(call).toThrow(`Setting 'the_setting'`);
    expect(call).toThrow(message);
  });

  it('options refuses anything else, listing the choices', () => {
    const options = def('options', { options: [{ label: 'A', value: 'a' }] });
    expect(() => settingValue(options, 'b')).toThrow('must be one of "a"');
  });
});
