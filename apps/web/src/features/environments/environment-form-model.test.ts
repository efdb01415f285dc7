// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` here is env-var syntax under test, not a template.
import { describe, expect, it } from 'vitest';
import { configToText, envToLines, linesToEnv, textToConfig } from './environment-form-model';

describe('environment form fields', () => {
  it('reads KEY=value lines, keeping = inside values, and says which line is wrong', () => {
    expect(linesToEnv('A=1\n\nB = x=y\n')).toEqual({ ok: true, value: { A: '1', B: ' x=y' } });
    expect(linesToEnv('A=1\nnot a pair')).toEqual({ ok: false, error: 'Line 2: write KEY=value' });
    expect(linesToEnv('A=1\nA=2')).toEqual({ ok: false, error: 'Line 2: A is given twice' });
    expect(linesToEnv('1A=x')).toMatchObject({ ok: false });
    expect(envToLines({ A: '1', B: '${X}' })).toBe('A=1\nB=${X}');
  });

  it('reads a JSON object for a config, an empty box as {}', () => {
    expect(textToConfig('{"client_id": "abc"}')).toEqual({ ok: true, value: { client_id: 'abc' } });
    expect(textToConfig('')).toEqual({ ok: true, value: {} });
    expect(textToConfig('[1]')).toMatchObject({ ok: false });
    expect(textToConfig('{')).toMatchObject({ ok: false });
    expect(configToText({})).toBe('{}');
  });
});
