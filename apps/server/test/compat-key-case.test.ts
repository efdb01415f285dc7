import { describe, expect, it } from 'vitest';
import { camelize, convertKeys, decamelize, snakeInput } from '../src/routes/compat/key-case.js';
import { DIALECTS, startTestApp } from './support/test-app.js';

// Meltano 2.20's tests/meltano/api/test_json.py, on the X-JSON-SCHEME conversion of the old UI's API.
describe('test_json.py: X-JSON-SCHEME key case (pyhumps rules)', () => {
  it('test_camel_case: keys camelCased recursively, values and _-prefixed keys untouched', () => {
    const body = {
      a_dict: { camel_case: 1 },
      a_list: [{ camel_case: 1 }],
      a_val: 'camel_value',
      _a_val: { snake_case: 'x' },
    };
    expect(convertKeys(body, 'camel')).toEqual({
      aDict: { camelCase: 1 },
      aList: [{ camelCase: 1 }],
      aVal: 'camel_value',
      _a_val: { snakeCase: 'x' },
    });
  });

  it('test_snake_case: the reverse (`_aVal` kept)', () => {
    const body = { aDict: { camelCase: 1 }, aList: [{ camelCase: 1 }], aVal: 'camelValue', _aVal: 1 };
    expect(convertKeys(body, 'snake')).toEqual({
      a_dict: { camel_case: 1 },
      a_list: [{ camel_case: 1 }],
      a_val: 'camelValue',
      _aVal: 1,
    });
  });

  it('test_collision: two keys that would collide leave the whole body as it was', () => {
    const body = { snakeCase: 1, snake_case: 2 };
    expect(convertKeys(body, 'snake')).toBe(body);
    expect(convertKeys(body, 'camel')).toBe(body);
  });

  it('decoding: request bodies always come in as snake_case, but setting names inside config are kept (fixed)', () => {
    expect(snakeInput({ stateIds: ['a'], pluginType: 'extractors', config: { accountId: 'x' } })).toEqual({
      state_ids: ['a'],
      plugin_type: 'extractors',
      config: { accountId: 'x' },
    });
  });

  it('a body nested deeper than 64 levels is refused (400), never a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { a_b: deep };
    expect(() => snakeInput(deep)).toThrow(/nested more than 64 levels/);
    expect(convertKeys(deep, 'camel')).toBe(deep);
  });

  it("pyhumps' own rules: all-uppercase and numeric keys untouched, acronyms, dashes", () => {
    expect(camelize('TAP_GITLAB_TOKEN')).toBe('TAP_GITLAB_TOKEN');
    expect(decamelize('TAP_GITLAB_TOKEN')).toBe('TAP_GITLAB_TOKEN');
    expect(camelize('123')).toBe('123');
    expect(camelize('has_log_exceeded_max_size')).toBe('hasLogExceededMaxSize');
    expect(camelize('latest_version')).toBe('latestVersion');
    expect(camelize('a_val-test')).toBe('aValTest');
    expect(decamelize('HTTPResponse')).toBe('http_response');
    expect(decamelize('aVal-test')).toBe('a_val-test');
    expect(decamelize('configMetadata')).toBe('config_metadata');
  });

  it('config and config_metadata maps are frozen: their keys are setting names', () => {
    const body = {
      config: { start_date: 1, nested: { a_b: 1 } },
      config_metadata: { start_date: { source_label: 'x' } },
    };
    expect(convertKeys(body, 'camel')).toEqual({
      config: { start_date: 1, nested: { a_b: 1 } },
      configMetadata: { start_date: { source_label: 'x' } },
    });
  });
});

describe.each(DIALECTS)('X-JSON-SCHEME over HTTP (%s)', (dialect) => {
  it('camel and snake answers; no header or another value leaves keys alone; our identity route too', async () => {
    const app = await startTestApp(dialect, { version: 'v2.20.0' });
    try {
      const post = (scheme?: string) =>
        app.server.inject({
          method: 'POST',
          url: '/api/v1/orchestrations/jobs/state',
          payload: { stateIds: ['daily-demo'] },
          headers: scheme === undefined ? {} : { 'x-json-scheme': scheme },
        });
      const camel = (await post('camel')).json();
      expect(camel.jobs[0]).toHaveProperty('hasEverSucceeded');
      expect(camel.jobs[0]).toHaveProperty('stateId', 'daily-demo');
      const snake = (await post('snake')).json();
      expect(snake.jobs[0]).toHaveProperty('has_ever_succeeded');
      for (const other of [undefined, 'kebab']) {
        expect((await post(other)).json().jobs[0]).toHaveProperty('is_complete');
      }
      const identity = await app.server.inject({
        url: '/api/v1/identity',
        headers: { 'x-json-scheme': 'camel' },
      });
      expect(identity.json()).toMatchObject({ anonymous: true, canSignIn: false, username: 'Anonymous' });
      expect(identity.json().permissions).toHaveProperty('editProject');
    } finally {
      await app.cleanup();
    }
  });
});
