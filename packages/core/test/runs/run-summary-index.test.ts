import { describe, expect, it } from 'vitest';
import type { RunRow } from '../../src/runs/run-row.js';
import { RunSummaryIndex, SUMMARY_RECENT_RUNS } from '../../src/runs/run-summary-index.js';

const row = (id: number, job_name: string | null, state = 'SUCCESS'): RunRow => ({
  id,
  job_name,
  state,
  started_at: '2026-11-21 05:00:00.000000',
  ended_at: state === 'RUNNING' ? null : '2026-11-21 05:00:01.000000',
  payload: null,
  payload_flags: 0,
  run_id: id.toString(16).padStart(32, '0'),
  trigger: 'cli',
  last_heartbeat_at: null,
});

/** Heads, then the fetch the index asks for, answered from `rows`. */
function feed(index: RunSummaryIndex, rows: RunRow[], nowMs = 0): boolean {
  index.addHeads(rows, nowMs);
  const ids = index.fetchIds(nowMs);
  return index.applyFetch(
    ids,
    rows.filter((r) => ids.includes(r.id)),
  );
}

describe('RunSummaryIndex', () => {
  it('keeps the newest 20 runs of a state ID and fetches only those', () => {
    const index = new RunSummaryIndex(null);
    const rows = Array.from({ length: 100 }, (_, i) => row(i + 1, i % 2 ? 'a' : 'b'));
    index.addHeads(rows, 0);
    const ids = index.fetchIds(0);
    expect(ids).toEqual([...rows.slice(-40).map((r) => r.id)]);
    expect(index.applyFetch(ids, rows)).toBe(true);
    expect(index.byStateId.get('a')?.recent.map((r) => r.id)).toEqual(
      Array.from({ length: SUMMARY_RECENT_RUNS }, (_, i) => 62 + 2 * i),
    );
    expect(index.byStateId.get('a')).toMatchObject({ runCount: 50, finished: 50, succeeded: 50 });
    expect(index.size()).toEqual({ stateIds: 2, runs: 40, running: 0, gaps: 0 });
    expect(index.fetchIds(0)).toEqual([]);
  });

  it('leaves out rows without state ID and rows that are not runs, but reads past them', () => {
    const index = new RunSummaryIndex(null);
    expect(feed(index, [row(1, null), row(2, 'a', 'STATE_EDIT'), row(3, 'a', 'IDLE'), row(4, 'a')])).toBe(
      true,
    );
    expect(index.maxId).toBe(4);
    expect(index.byStateId.get('a')?.recent.map((r) => r.id)).toEqual([4]);
    expect([...index.byStateId.keys()]).toEqual(['a']);
  });

  it('looks for missing ids near the top for a while, and counts them when they appear', () => {
    const index = new RunSummaryIndex(null);
    expect(feed(index, [row(1, 'a'), row(5, 'a')], 0)).toBe(true);
    expect(index.size().gaps).toBe(3);
    expect(index.fetchIds(1000)).toEqual([2, 3, 4]);
    expect(index.applyFetch([2, 3, 4], [row(3, 'a', 'FAIL')])).toBe(true);
    expect(index.byStateId.get('a')).toMatchObject({ runCount: 3, finished: 3, succeeded: 2 });
    expect(index.byStateId.get('a')?.recent.map((r) => r.id)).toEqual([1, 3, 5]);
    expect(index.fetchIds(61_000)).toEqual([]); // the other two expired
  });

  it('does not record gaps far below the highest id', () => {
    const index = new RunSummaryIndex(null);
    expect(feed(index, [row(1, 'a'), row(50_000, 'a')])).toBe(true);
    expect(index.size().gaps).toBe(999); // 49,001 … 49,999
  });

  it('refuses a fetch where a counted run vanished or moved: the database was replaced', () => {
    const index = new RunSummaryIndex(null);
    expect(feed(index, [row(1, 'a', 'RUNNING')])).toBe(true);
    expect(index.applyFetch([1], [])).toBe(false);
    expect(index.applyFetch([1], [row(1, 'b', 'RUNNING')])).toBe(false);
    expect(index.applyFetch([1], [row(1, 'a', 'SUCCESS')])).toBe(true);
    expect(index.byStateId.get('a')).toMatchObject({ runCount: 1, finished: 1, succeeded: 1 });
    expect(index.isAnchor(row(1, 'a'))).toBe(true);
    expect(index.isAnchor({ ...row(1, 'a'), run_id: 'f'.repeat(32) })).toBe(false);
  });

  it('keeps only the error of a payload', () => {
    const index = new RunSummaryIndex(null);
    const big = {
      ...row(1, 'a', 'FAIL'),
      payload: `{"singer_state": "${'x'.repeat(10_000)}", "error": "boom"}`,
    };
    const running = { ...row(2, 'a', 'RUNNING'), payload: `{"singer_state": "${'x'.repeat(10_000)}"}` };
    index.addHeads([big, running], 0);
    expect(index.applyFetch(index.fetchIds(0), [big, running])).toBe(true);
    const [first, second] = index.byStateId.get('a')?.recent ?? [];
    expect(first?.view).toMatchObject({ id: 1, error: 'boom', status: 'failed' });
    expect(Object.isFrozen(first?.view)).toBe(true);
    expect(second?.row?.payload).toBeNull();
  });
});
