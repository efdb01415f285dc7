import { describe, expect, it } from 'vitest';
import type { PluginSetting } from '../../../lib/api-types';
import { controlFor, initialDraft, placeholderFor } from './setting-control';
import { parseDraft } from './setting-value';

type Input = Parameters<typeof initialDraft>[0] & Pick<PluginSetting, 'default'>;
const setting = (over: Partial<Input>): Input => ({
  kind: 'string',
  sensitive: false,
  redacted: false,
  options: [],
  value: null,
  source: 'default',
  default: null,
  ...over,
});

describe('controlFor', () => {
  it('gives each kind its control', () => {
    const kinds: [string | null, string][] = [
      ['string', 'text'],
      [null, 'text'],
      ['integer', 'integer'],
      ['decimal', 'decimal'],
      ['boolean', 'boolean'],
      ['date_iso8601', 'date'],
      ['email', 'email'],
      ['file', 'file'],
      ['object', 'json'],
      ['array', 'json'],
      ['password', 'secret'],
      ['oauth', 'secret'],
      ['hidden', 'text'],
      ['some_future_kind', 'text'],
    ];
    expect(kinds.map(([kind]) => controlFor(setting({ kind })))).toEqual(kinds.map(([, c]) => c));
  });

  it('treats sensitive settings and masked values as secrets whatever their kind', () => {
    expect(controlFor(setting({ kind: 'integer', sensitive: true }))).toBe('secret');
    expect(controlFor(setting({ kind: 'string', redacted: true }))).toBe('secret');
  });

  it('needs options for a select', () => {
    expect(controlFor(setting({ kind: 'options' }))).toBe('text');
    expect(controlFor(setting({ kind: 'options', options: [{ label: 'A', value: 'a' }] }))).toBe('options');
  });
});

describe('initialDraft and placeholderFor', () => {
  it('never puts a stored secret into the field', () => {
    const secret = setting({ sensitive: true, value: '(redacted)', source: 'dotenv' });
    expect(initialDraft(secret)).toBe('');
    expect(placeholderFor(secret)).toBe('');
  });

  it("starts from the plugin's own value; a default or inherited one is only a placeholder", () => {
    expect(initialDraft(setting({ value: 'ok', source: 'meltano_yml' }))).toBe('ok');
    const fallback = setting({ value: 'x', source: 'default', default: 'x' });
    expect(initialDraft(fallback)).toBe('');
    expect(placeholderFor(fallback)).toBe('x (default)');
    expect(placeholderFor(setting({ value: 'p', source: 'inherited' }))).toBe('p (inherited)');
  });

  it('shows numbers, JSON, booleans and options in their control’s terms', () => {
    expect(initialDraft(setting({ kind: 'integer', value: 42, source: 'dotenv' }))).toBe('42');
    expect(initialDraft(setting({ kind: 'object', value: { a: 1 }, source: 'meltano_yml' }))).toBe(
      '{\n  "a": 1\n}',
    );
    expect(initialDraft(setting({ kind: 'boolean', value: true, source: 'meltano_yml' }))).toBe('true');
    expect(initialDraft(setting({ kind: 'boolean', value: null }))).toBe('false');
    const options = [
      { label: 'One', value: 1 },
      { label: 'Two', value: 2 },
    ];
    expect(initialDraft(setting({ kind: 'options', options, value: 2, source: 'meltano_yml' }))).toBe('1');
    expect(initialDraft(setting({ kind: 'options', options, value: '2', source: 'dotenv' }))).toBe('1');
  });
});

describe('parseDraft', () => {
  const parse = (over: Partial<Input>, draft: string) => parseDraft(setting(over), draft);

  it('sends integers as numbers and refuses anything else', () => {
    expect(parse({ kind: 'integer' }, ' 42 ')).toEqual({ ok: true, value: 42 });
    expect(parse({ kind: 'integer' }, '-7')).toEqual({ ok: true, value: -7 });
    expect(parse({ kind: 'integer' }, '4.2').ok).toBe(false);
    expect(parse({ kind: 'integer' }, 'abc').ok).toBe(false);
    expect(parse({ kind: 'integer' }, '99999999999999999999')).toEqual({
      ok: false,
      error: 'This number is too large.',
    });
  });

  it('keeps a decimal’s digits as text', () => {
    expect(parse({ kind: 'decimal' }, '1.50')).toEqual({ ok: true, value: '1.50' });
    expect(parse({ kind: 'decimal' }, '2e3')).toEqual({ ok: true, value: '2e3' });
    expect(parse({ kind: 'decimal' }, '1,5').ok).toBe(false);
  });

  it('reads booleans from the checkbox', () => {
    expect(parse({ kind: 'boolean' }, 'true')).toEqual({ ok: true, value: true });
    expect(parse({ kind: 'boolean' }, 'false')).toEqual({ ok: true, value: false });
  });

  it('checks dates and emails', () => {
    expect(parse({ kind: 'date_iso8601' }, '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parse({ kind: 'date_iso8601' }, '2024-01-01T00:00:00Z').ok).toBe(true);
    expect(parse({ kind: 'date_iso8601' }, '01/02/2024').ok).toBe(false);
    expect(parse({ kind: 'date_iso8601' }, '2024-13-01').ok).toBe(false);
    expect(parse({ kind: 'email' }, 'a@b.io')).toEqual({ ok: true, value: 'a@b.io' });
    expect(parse({ kind: 'email' }, 'a@b').ok).toBe(false);
  });

  it('sends the chosen option’s own value, number or string', () => {
    const options = [
      { label: 'One', value: 1 },
      { label: 'Full table', value: 'FULL_TABLE' },
    ];
    expect(parse({ kind: 'options', options }, '0')).toEqual({ ok: true, value: 1 });
    expect(parse({ kind: 'options', options }, '1')).toEqual({ ok: true, value: 'FULL_TABLE' });
    expect(parse({ kind: 'options', options }, '').ok).toBe(false);
  });

  it('validates JSON before sending it, and checks object versus array', () => {
    expect(parse({ kind: 'object' }, '{"a": [1, 2]}')).toEqual({ ok: true, value: '{"a": [1, 2]}' });
    expect(parse({ kind: 'array' }, '["x"]')).toEqual({ ok: true, value: '["x"]' });
    expect(parse({ kind: 'object' }, '[1]')).toEqual({
      ok: false,
      error: 'A JSON object, like {"key": "value"}.',
    });
    expect(parse({ kind: 'array' }, '{}').ok).toBe(false);
    const broken = parse({ kind: 'object' }, '{"a": }');
    expect(broken.ok).toBe(false);
    expect(broken.ok ? '' : broken.error).toMatch(/^Not valid JSON: /);
  });

  it('sends text and secrets exactly as typed, but not empty', () => {
    expect(parse({}, ' spaced ')).toEqual({ ok: true, value: ' spaced ' });
    expect(parse({ sensitive: true }, 's3cr3t ')).toEqual({ ok: true, value: 's3cr3t ' });
    expect(parse({}, '   ')).toEqual({ ok: false, error: 'Enter a value, or use Unset to remove it.' });
    expect(parse({ kind: 'file' }, ' extract/x.json ')).toEqual({ ok: true, value: 'extract/x.json' });
  });
});
