import { describe, expect, it } from 'vitest';
import { splitBackticks } from './inline-code';
import { canUnset, savedMessage, unsetMessage } from './setting-stores';

describe('savedMessage', () => {
  it('adds what else the write changed', () => {
    const notice =
      '.env was readable by other users (mode 0644); it now holds a secret, so its mode was changed to 0600';
    expect(
      savedMessage(
        { store: 'dotenv', file: '.env', env_var: 'TAP_X_API_KEY', notices: [notice] },
        null,
        false,
      ),
    ).toBe(`Saved to .env as TAP_X_API_KEY. ${notice}`);
  });

  it('says which file and variable a value went to', () => {
    expect(savedMessage({ store: 'dotenv', file: '.env', env_var: 'TAP_X_API_KEY' }, 'dev', false)).toBe(
      'Saved to .env as TAP_X_API_KEY',
    );
    expect(
      savedMessage({ store: 'meltano_environment', file: 'meltano.yml', env_var: null }, 'dev', false),
    ).toBe('Saved to meltano.yml (environment dev)');
    expect(
      savedMessage({ store: 'meltano_yml', file: 'extract/taps.meltano.yml', env_var: null }, null, false),
    ).toBe('Saved to extract/taps.meltano.yml');
    expect(savedMessage({ store: 'db', file: null, env_var: null }, 'dev', true)).toBe(
      'Saved to the system database (project is read-only)',
    );
    expect(savedMessage({ store: 'db', file: null, env_var: null }, 'dev', false)).toBe(
      'Saved to the system database',
    );
  });
});

describe('unsetMessage', () => {
  it('lists every store the value was removed from', () => {
    expect(unsetMessage(['meltano_environment', 'dotenv'], 'prod')).toBe(
      'Unset: removed from meltano.yml (environment prod), .env',
    );
    expect(unsetMessage([], 'prod')).toMatch(/^Nothing to remove/);
  });
});

describe('canUnset', () => {
  it('offers Unset only for a value this project holds and may change', () => {
    expect(canUnset({ source: 'dotenv', value: '(redacted)', locked: null })).toBe(true);
    expect(canUnset({ source: 'meltano_yml', value: 'x', locked: null })).toBe(true);
    expect(canUnset({ source: 'default', value: 'x', locked: null })).toBe(false);
    expect(canUnset({ source: 'inherited', value: 'x', locked: null })).toBe(false);
    expect(
      canUnset({ source: 'env', value: 'x', locked: { source: 'env', env_var: 'X', reason: 'set' } }),
    ).toBe(false);
  });
});

describe('splitBackticks', () => {
  it('marks the quoted names of a server message as code', () => {
    expect(splitBackticks('the value in `meltano.yml` wins over it')).toEqual([
      { code: false, text: 'the value in ' },
      { code: true, text: 'meltano.yml' },
      { code: false, text: ' wins over it' },
    ]);
    expect(splitBackticks('no quotes, a lone ` tick')).toEqual([
      { code: false, text: 'no quotes, a lone ` tick' },
    ]);
  });
});
