// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` here is env-var syntax under test, not a template.
import { describe, expect, it } from 'vitest';
import { expandDeep, expandEnvVars } from '../../src/project/env-expand.js';

const env = { HOST: 'db.local', PORT: '5432', lower: 'yes', EMPTY: '', A_1: 'a1' };

describe('expandEnvVars (Meltano rules)', () => {
  it('expands $NAME only for upper-case names and ${name} for any word', () => {
    expect(expandEnvVars('postgres://$HOST:$PORT/db', env)).toBe('postgres://db.local:5432/db');
    expect(expandEnvVars('${lower}-$lower', env)).toBe('yes-$lower');
    expect(expandEnvVars('$A_1x|$A_1X|${A_1}', env)).toBe('a1x||a1');
    expect(expandEnvVars('default$default-User.*', env)).toBe('default$default-User.*');
    expect(expandEnvVars('price: $5 and $ alone', env)).toBe('price: $5 and $ alone');
  });

  it('turns \\$VAR into a literal $VAR', () => {
    expect(expandEnvVars('\\$HOST and \\${PORT} and $HOST', env)).toBe('$HOST and ${PORT} and db.local');
  });

  it('replaces missing variables with "" and returns null when nothing is left', () => {
    expect(expandEnvVars('a-$MISSING-b', env)).toBe('a--b');
    expect(expandEnvVars('$MISSING', env)).toBeNull();
    expect(expandEnvVars('${MISSING}$ALSO_MISSING', env)).toBeNull();
    expect(expandEnvVars('$EMPTY', env)).toBeNull();
    expect(expandEnvVars('', env)).toBe('');
    expect(expandEnvVars('$MISSING ', env)).toBe(' ');
    expect(expandEnvVars('$UNDEF', { UNDEF: undefined })).toBeNull();
  });

  it('does not expand recursively', () => {
    expect(expandEnvVars('$OUTER', { OUTER: '$HOST' })).toBe('$HOST');
  });
});

describe('expandDeep', () => {
  it('expands strings inside objects and arrays and leaves other values alone', () => {
    const value = { url: 'http://$HOST', list: ['$PORT', 1, true, null], nested: { gone: '$MISSING' } };
    expect(expandDeep(value, env)).toEqual({
      url: 'http://db.local',
      list: ['5432', 1, true, null],
      nested: { gone: '' },
    });
    expect(expandDeep('$MISSING', env)).toBeNull();
    expect(expandDeep(42, env)).toBe(42);
    expect(value.url).toBe('http://$HOST');
  });
});
