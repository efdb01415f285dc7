// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` here is env-var syntax under test, not a template.
import { describe, expect, it } from 'vitest';
import { settingLayer, shownValue } from './setting-layer';

const set = { inherited_source: null, env_var: null, is_set: true } as const;

describe('settingLayer', () => {
  it('words base and environment values as the workspace guide does', () => {
    expect(settingLayer({ ...set, source: 'meltano_yml' }, 'dev', []).short).toBe('from base');
    expect(settingLayer({ ...set, source: 'meltano_environment' }, 'prod', []).short).toBe(
      'from prod override',
    );
  });

  it("tells the schedule's env from the UI's own process environment, naming the variable", () => {
    const fromSchedule = settingLayer({ ...set, source: 'env', env_var: 'TAP_X_DOMAIN' }, 'dev', [
      'TAP_X_DOMAIN',
    ]);
    expect(fromSchedule).toEqual({
      short: 'from schedule env',
      detail: "the schedule's env (passed to its runs) as TAP_X_DOMAIN",
    });
    expect(settingLayer({ ...set, source: 'env', env_var: 'TAP_X_DOMAIN' }, 'dev', []).short).toBe(
      'from process environment',
    );
    expect(settingLayer({ ...set, source: 'dotenv', env_var: 'TAP_X_KEY' }, 'dev', []).detail).toBe(
      '.env file as TAP_X_KEY',
    );
  });

  it('says where an inherited value comes from, and when nothing sets it', () => {
    expect(
      settingLayer({ ...set, source: 'inherited', inherited_source: 'meltano_environment' }, 'dev', [])
        .detail,
    ).toBe("the parent plugin (inherit_from), where it comes from the environment's config in meltano.yml");
    expect(settingLayer({ ...set, is_set: false, source: 'default' }, 'dev', []).short).toBe('not set');
  });

  it('shows strings as written and other values as JSON', () => {
    expect(shownValue('${TAP_KEY}')).toBe('${TAP_KEY}');
    expect(shownValue(5)).toBe('5');
    expect(shownValue({ a: [1] })).toBe('{"a":[1]}');
    expect(shownValue(null)).toBe('—');
  });
});
