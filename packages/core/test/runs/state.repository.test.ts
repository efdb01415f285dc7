import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeState } from '../../src/runs/state.repository.js';
import { DIALECTS, type FixtureBackends, prepareFixtureBackends } from '../support/backends.js';
import { type DumpedState, FIXTURE_DBS, fixtureVersion, readOutput } from '../support/fixtures.js';

let backends: FixtureBackends;
beforeAll(async () => {
  backends = await prepareFixtureBackends();
});
afterAll(async () => {
  await backends?.cleanup();
});

describe.each(DIALECTS)('StateRepository on %s', (dialect) => {
  describe.each(FIXTURE_DBS)('%s', (fixture) => {
    const version = fixtureVersion(fixture);
    const open = () => backends.open(dialect, fixture, () => new Date('2026-11-21T06:00:00Z'));

    it('lists every stored state with parsed JSON and the naive updated_at the CLI wrote', async () => {
      const dump = await readOutput<DumpedState[]>(version, 'table-state.json');
      const states = await open().state.list();
      const ids = dump.map((d) => d.state_id).sort((a, b) => (a < b ? -1 : 1));
      expect(states.map((s) => s.state_id)).toEqual(ids);
      for (const row of dump) {
        const view = states.find((s) => s.state_id === row.state_id);
        expect(view).toMatchObject({
          completed_state: JSON.parse(row.completed_state),
          partial_state: JSON.parse(row.partial_state),
          updated_at: row.updated_at === null ? null : row.updated_at.replace(' ', 'T'),
        });
      }
      expect(states.find((s) => s.state_id === 'manual-fail')?.updated_at).toBeNull();
    });

    it('merges the partial state onto the completed one exactly as `meltano state get` printed it', async () => {
      const cli = await readOutput<unknown>(version, 'state-get-manual-ok.json');
      const state = await open().state.get('manual-ok');
      expect(state?.merged).toEqual(cli);
      expect(state?.merged).toEqual({
        singer_state: { bookmarks: { users: { last_id: 6 }, orders: { last_id: 7 } } },
      });
      expect(state?.partial_state).toEqual({ singer_state: { bookmarks: { orders: { last_id: 7 } } } });
      expect(state?.completed_state).toEqual({ singer_state: { bookmarks: { users: { last_id: 6 } } } });
      expect((await open().state.get('manual-edit'))?.merged).toEqual({
        singer_state: { bookmarks: { users: { last_id: 100 } } },
      });
    });

    it('answers null for a state ID without a row', async () => {
      expect(await open().state.get('nope')).toBeNull();
    });
  });
});

describe('mergeState', () => {
  it('merges objects recursively and lets partial scalars and arrays replace completed values', () => {
    const completed = { singer_state: { bookmarks: { a: { id: 1, list: [1, 2] }, b: { id: 2 } }, v: 1 } };
    const partial = { singer_state: { bookmarks: { a: { list: [3] }, c: { id: 3 } }, v: { nested: true } } };
    expect(mergeState(partial, completed)).toEqual({
      singer_state: {
        bookmarks: { a: { id: 1, list: [3] }, b: { id: 2 }, c: { id: 3 } },
        v: { nested: true },
      },
    });
    expect(completed.singer_state.bookmarks.a.list).toEqual([1, 2]);
  });

  it('copes with missing or non-object sides', () => {
    expect(mergeState({}, { a: 1 })).toEqual({ a: 1 });
    expect(mergeState(null, null)).toEqual({});
    expect(mergeState({ a: 1 }, null)).toEqual({ a: 1 });
    expect(mergeState('garbage', { a: 1 })).toEqual({ a: 1 });
  });

  it('keeps a "__proto__" key in stored JSON as data', () => {
    const merged = mergeState(JSON.parse('{"__proto__": {"polluted": true}}'), {}) as Record<string, unknown>;
    expect(Object.keys(merged)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});
