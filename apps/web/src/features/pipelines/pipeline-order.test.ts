import { describe, expect, it } from 'vitest';
import type { Run, Schedule } from '../../lib/api-types';
import {
  extractorOf,
  formatSort,
  groupSchedules,
  pageOfGroups,
  parseGroup,
  parseSort,
  sortSchedules,
  toggleSort,
} from './pipeline-order';

const NOW = Date.parse('2026-12-02T12:00:00Z');

function run(status: Run['status'], started: string | null, seconds: number | null = 60): Run {
  return {
    id: 1,
    state_id: 'x',
    run_id: null,
    status,
    meltano_state: status === 'success' ? 'SUCCESS' : 'FAIL',
    started_at: started,
    ended_at: null,
    last_heartbeat_at: null,
    heartbeat_age_seconds: null,
    duration_seconds: seconds,
    trigger: null,
    error: null,
    payload_flags: null,
    records_extracted: null,
    records_loaded: null,
    failure_cause: null,
  };
}

function schedule(name: string, over: Partial<Schedule> = {}): Schedule {
  return {
    name,
    kind: 'elt',
    interval: '@daily',
    cron: null,
    interval_description: 'Every day',
    interval_valid: true,
    next_run_at: null,
    extractor: 'tap-a',
    loader: 'target-b',
    transform: null,
    job: null,
    tasks: null,
    env: {},
    env_references: [],
    start_date: null,
    environment: null,
    state_ids: [],
    latest_run: null,
    recent_runs: [],
    totals: { total: 0, succeeded: 0, failed: 0, success_rate: null },
    source_file: 'meltano.yml',
    version: 'v',
    problem: null,
    shared_state_ids: [],
    orchestrated: true,
    lateness: {
      status: 'on_time',
      expected_at: null,
      missed: 0,
      missed_capped: false,
      grace_seconds: 8640,
      since: null,
      not_applicable_reason: null,
    },
    ...over,
  };
}

const names = (list: Schedule[]) => list.map((s) => s.name);

describe('sortSchedules', () => {
  const list = [
    schedule('ok-old', { latest_run: run('success', '2026-12-01T10:00:00Z', 30) }),
    schedule('never'),
    schedule('running', { latest_run: run('running', '2026-12-02T11:00:00Z', null) }),
    schedule('failed-old', { latest_run: run('failed', '2026-11-30T10:00:00Z', 5) }),
    schedule('stale', { latest_run: run('stale', '2026-12-02T09:00:00Z', null) }),
    schedule('failed-new', { latest_run: run('failed', '2026-12-02T10:00:00Z', 600) }),
    schedule('broken', {
      problem: 'job x is not defined',
      latest_run: run('success', '2026-12-02T08:00:00Z'),
    }),
    schedule('late', {
      latest_run: run('success', '2026-11-29T08:00:00Z'),
      lateness: {
        status: 'late',
        expected_at: '2026-11-30T00:00:00Z',
        missed: 3,
        missed_capped: false,
        grace_seconds: 8640,
        since: '2026-11-29T08:00:00Z',
        not_applicable_reason: null,
      },
    }),
  ];

  it('puts problems first: failed (newest first), presumed dead, late, broken definitions, running, never run', () => {
    expect(names(sortSchedules(list, { key: 'problems', dir: 'asc' }, NOW))).toEqual([
      'failed-new',
      'failed-old',
      'stale',
      'late',
      'broken',
      'running',
      'never',
      'ok-old',
    ]);
  });

  it('sorts by name both ways', () => {
    const asc = names(sortSchedules(list, { key: 'name', dir: 'asc' }, NOW));
    expect(asc).toEqual([...asc].sort());
    expect(names(sortSchedules(list, { key: 'name', dir: 'desc' }, NOW))).toEqual([...asc].reverse());
  });

  it('keeps pipelines that never ran last, whatever the direction', () => {
    for (const dir of ['asc', 'desc'] as const) {
      expect(names(sortSchedules(list, { key: 'last-run', dir }, NOW)).at(-1)).toBe('never');
      expect(names(sortSchedules(list, { key: 'duration', dir }, NOW)).at(-1)).toBe('never');
    }
    expect(names(sortSchedules(list, { key: 'last-run', dir: 'desc' }, NOW))[0]).toBe('running');
  });

  it('counts a running run by the time it has been running', () => {
    // running started 1 h before NOW: longer than failed-new's 10 min, and stale's 3 h is longer still.
    expect(names(sortSchedules(list, { key: 'duration', dir: 'desc' }, NOW)).slice(0, 3)).toEqual([
      'stale',
      'running',
      'failed-new',
    ]);
  });

  it('sorts by next run, soonest first, unscheduled last', () => {
    const timed = [
      schedule('later', { next_run_at: '2026-12-03T00:00:00Z' }),
      schedule('manual'),
      schedule('sooner', { next_run_at: '2026-12-02T13:00:00Z' }),
    ];
    expect(names(sortSchedules(timed, { key: 'next-run', dir: 'asc' }, NOW))).toEqual([
      'sooner',
      'later',
      'manual',
    ]);
  });
});

describe('sort in the URL', () => {
  it('round-trips and falls back to problems first', () => {
    expect(parseSort('-duration')).toEqual({ key: 'duration', dir: 'desc' });
    expect(formatSort(parseSort('name'))).toBe('name');
    expect(parseSort('nonsense')).toEqual({ key: 'problems', dir: 'asc' });
    expect(parseSort(null)).toEqual({ key: 'problems', dir: 'asc' });
    expect(formatSort({ key: 'problems', dir: 'asc' })).toBe('');
    expect(parseGroup('job')).toBe('job');
    expect(parseGroup('zzz')).toBe('none');
  });

  it('first click sorts times newest first and names A→Z; a second click flips', () => {
    const start = parseSort(null);
    expect(toggleSort(start, 'last-run')).toEqual({ key: 'last-run', dir: 'desc' });
    expect(toggleSort(start, 'name')).toEqual({ key: 'name', dir: 'asc' });
    expect(toggleSort({ key: 'name', dir: 'asc' }, 'name')).toEqual({ key: 'name', dir: 'desc' });
  });
});

describe('groupSchedules', () => {
  const job = (name: string, jobName: string, first: string) =>
    schedule(name, {
      kind: 'job',
      job: jobName,
      extractor: null,
      loader: null,
      tasks: [[first, 'target-b']],
    });
  const list = [
    schedule('e1', { extractor: 'tap-z' }),
    job('j1', 'nightly', 'tap-a'),
    schedule('e2', { extractor: 'tap-a' }),
    job('j2', 'nightly', 'dbt:run'),
  ];

  it('groups by extractor, a job by the first block of its first task, commands under "No extractor"', () => {
    expect(extractorOf(list[1] as Schedule)).toBe('tap-a');
    const groups = groupSchedules(list, 'extractor');
    expect(groups.map((g) => [g.label, names(g.rows)])).toEqual([
      ['tap-a', ['j1', 'e2']],
      ['tap-z', ['e1']],
      ['No extractor', ['j2']],
    ]);
  });

  it('groups by job, ELT schedules last', () => {
    expect(groupSchedules(list, 'job').map((g) => [g.label, names(g.rows)])).toEqual([
      ['nightly', ['j1', 'j2']],
      ['Not a job (ELT schedules)', ['e1', 'e2']],
    ]);
  });

  it('is one unlabelled group with none', () => {
    expect(groupSchedules(list, 'none')).toHaveLength(1);
  });
});

describe('pageOfGroups', () => {
  const many = Array.from({ length: 153 }, (_, i) => schedule(`s${String(i).padStart(3, '0')}`));

  it('cuts 153 rows into 100 + 53 and clamps the page number', () => {
    const groups = groupSchedules(many, 'none');
    const first = pageOfGroups(groups, 1);
    expect(first.pages).toBe(2);
    expect(first.groups[0]?.rows).toHaveLength(100);
    expect(pageOfGroups(groups, 2).groups[0]?.rows).toHaveLength(53);
    expect(pageOfGroups(groups, 9).page).toBe(2);
    expect(pageOfGroups(groups, 0).page).toBe(1);
  });

  it('repeats the heading of a group that spans two pages, with its full size', () => {
    const groups = [
      { key: 'a', label: 'a', rows: many.slice(0, 60) },
      { key: 'b', label: 'b', rows: many.slice(60, 153) },
    ];
    const second = pageOfGroups(groups, 2);
    expect(second.groups.map((g) => [g.label, g.rows.length, g.total])).toEqual([['b', 53, 93]]);
    const first = pageOfGroups(groups, 1);
    expect(first.groups.map((g) => [g.label, g.rows.length])).toEqual([
      ['a', 60],
      ['b', 40],
    ]);
  });

  it('has one empty page for an empty list', () => {
    expect(pageOfGroups([], 1)).toEqual({ groups: [], pages: 1, page: 1 });
  });
});
