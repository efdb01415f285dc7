import { describe, expect, it } from 'vitest';
import type { Run } from '../../lib/api-types';
import { formatRunSort, parseRunSort, sortRuns, toggleRunSort } from './run-order';

const NOW = Date.parse('2026-12-02T12:00:00Z');

function run(id: number, over: Partial<Run> = {}): Run {
  return {
    id,
    state_id: `s${id}`,
    run_id: null,
    status: 'success',
    meltano_state: 'SUCCESS',
    started_at: '2026-12-02T10:00:00Z',
    ended_at: null,
    last_heartbeat_at: null,
    heartbeat_age_seconds: null,
    duration_seconds: 60,
    trigger: null,
    error: null,
    payload_flags: null,
    records_extracted: null,
    records_loaded: null,
    failure_cause: null,
    ...over,
  };
}

const ids = (runs: Run[]) => runs.map((r) => r.id);

describe('sortRuns', () => {
  const runs = [
    run(5, { duration_seconds: 30 }),
    run(4, { status: 'running', duration_seconds: null, started_at: '2026-12-02T11:00:00Z' }),
    run(3, { status: 'failed', duration_seconds: 600, started_at: '2026-12-01T10:00:00Z' }),
    run(2, { started_at: null, duration_seconds: null }),
    run(1, { status: 'stale', duration_seconds: null, started_at: '2026-12-02T11:59:00Z' }),
  ];

  it('keeps the API order (newest first) by default', () => {
    expect(ids(sortRuns(runs, parseRunSort(null), NOW))).toEqual([5, 4, 3, 2, 1]);
  });

  it('sorts by duration, a running run by its time so far, runs without a start last', () => {
    expect(ids(sortRuns(runs, { key: 'duration', dir: 'desc' }, NOW))).toEqual([4, 3, 1, 5, 2]);
    expect(ids(sortRuns(runs, { key: 'duration', dir: 'asc' }, NOW))).toEqual([5, 1, 3, 4, 2]);
  });

  it('sorts by start time and by status, failed first', () => {
    expect(ids(sortRuns(runs, { key: 'started', dir: 'desc' }, NOW))).toEqual([1, 4, 5, 3, 2]);
    expect(ids(sortRuns(runs, { key: 'status', dir: 'asc' }, NOW))).toEqual([3, 1, 4, 5, 2]);
  });

  it('sorts by pipeline name, runs of no pipeline last', () => {
    const names: Record<number, string> = { 5: 'beta', 3: 'alpha' };
    const sorted = sortRuns(runs, { key: 'pipeline', dir: 'asc' }, NOW, (r) => names[r.id] ?? null);
    expect(ids(sorted)).toEqual([3, 5, 4, 2, 1]);
  });
});

describe('run sort in the URL', () => {
  it('round-trips; a first click sorts durations longest first', () => {
    expect(parseRunSort('-duration')).toEqual({ key: 'duration', dir: 'desc' });
    expect(formatRunSort(parseRunSort('status'))).toBe('status');
    expect(formatRunSort(parseRunSort('bogus'))).toBe('');
    expect(toggleRunSort(parseRunSort(null), 'duration')).toEqual({ key: 'duration', dir: 'desc' });
    expect(toggleRunSort({ key: 'duration', dir: 'desc' }, 'duration')).toEqual({
      key: 'duration',
      dir: 'asc',
    });
  });
});
