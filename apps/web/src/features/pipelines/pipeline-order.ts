import type { Schedule } from '../../lib/api-types';
import { type SortDir, type SortState, urlSort } from '../../lib/url-sort';

/** Columns the pipelines list sorts by; `problems` is the default order, no column of its own. */
export const SORT_KEYS = ['problems', 'name', 'status', 'last-run', 'duration', 'next-run'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type { SortDir };
export type Sort = SortState<SortKey>;
export type GroupBy = 'none' | 'extractor' | 'job';

/** The direction a first click sorts in: newest and longest first, names and next runs A→Z / soonest. */
export const FIRST_DIR: Record<SortKey, SortDir> = {
  problems: 'asc',
  name: 'asc',
  status: 'asc',
  'last-run': 'desc',
  duration: 'desc',
  'next-run': 'asc',
};

const pipelineSort = urlSort(SORT_KEYS, { key: 'problems', dir: 'asc' }, FIRST_DIR);
/** `?sort=name` ascending, `?sort=-name` descending; anything else is the default order. */
export const parseSort = pipelineSort.parse;
export const formatSort = pipelineSort.format;
/** The sort after clicking a column: its first direction, then the other one. */
export const toggleSort = pipelineSort.toggle;

export function parseGroup(value: string | null): GroupBy {
  return value === 'extractor' || value === 'job' ? value : 'none';
}

// Failed first, then presumed dead, then late (its orchestrator did not start it), then a definition
// problem (a job that is not defined, a bad interval), then running, never run, and last the healthy.
function problemRank(s: Schedule): number {
  const status = s.latest_run?.status;
  if (status === 'failed') return 0;
  if (status === 'stale') return 1;
  if (s.lateness.status === 'late') return 2;
  if (s.problem) return 3;
  if (status === 'running') return 4;
  if (!s.latest_run) return 5;
  return 6;
}

const STATUS_RANK = { failed: 0, stale: 1, running: 2, success: 3 } as const;
const statusRank = (s: Schedule) => (s.latest_run ? STATUS_RANK[s.latest_run.status] : 4);
const startedMs = (s: Schedule) => (s.latest_run?.started_at ? Date.parse(s.latest_run.started_at) : null);

/** The latest run's duration; while it runs, the time it has been running. */
export function latestDuration(s: Schedule, now: number): number | null {
  const run = s.latest_run;
  if (!run) return null;
  if (run.duration_seconds !== null) return run.duration_seconds;
  return run.started_at ? Math.max(0, (now - Date.parse(run.started_at)) / 1000) : null;
}

/** Compares two possibly missing numbers; missing ones go last whatever the direction. */
function byNumber(a: number | null, b: number | null, dir: SortDir): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return dir === 'asc' ? a - b : b - a;
}

const byName = (a: Schedule, b: Schedule) => a.name.localeCompare(b.name);

/** A sorted copy; ties fall back to the newest run, then the name, so the order is stable. */
export function sortSchedules(list: readonly Schedule[], sort: Sort, now: number): Schedule[] {
  const flip = sort.dir === 'desc' ? -1 : 1;
  const newestFirst = (a: Schedule, b: Schedule) => byNumber(startedMs(a), startedMs(b), 'desc');
  const compare = (a: Schedule, b: Schedule): number => {
    switch (sort.key) {
      case 'problems':
        return problemRank(a) - problemRank(b) || newestFirst(a, b);
      case 'name':
        return 0;
      case 'status':
        return flip * (statusRank(a) - statusRank(b)) || newestFirst(a, b);
      case 'last-run':
        return byNumber(startedMs(a), startedMs(b), sort.dir);
      case 'duration':
        return byNumber(latestDuration(a, now), latestDuration(b, now), sort.dir);
      case 'next-run': {
        const next = (s: Schedule) => (s.next_run_at ? Date.parse(s.next_run_at) : null);
        return byNumber(next(a), next(b), sort.dir);
      }
    }
  };
  const nameFlip = sort.key === 'name' ? flip : 1;
  return [...list].sort((a, b) => compare(a, b) || nameFlip * byName(a, b));
}

export interface Group {
  key: string;
  label: string;
  rows: Schedule[];
}

const NO_GROUP = '\u0000none';

/**
 * The extractor a schedule runs: an ELT schedule names it; for a job, the first block of its first task
 * (`meltano run` blocks start with the extractor), unless that block is a command like `dbt:run`.
 */
export function extractorOf(s: Schedule): string | null {
  if (s.kind === 'elt') return s.extractor;
  const first = s.tasks?.[0]?.[0];
  return first && !first.includes(':') ? first : null;
}

function groupKey(s: Schedule, by: GroupBy): string {
  const key = by === 'extractor' ? extractorOf(s) : by === 'job' ? s.job : null;
  return key ?? NO_GROUP;
}

const NO_GROUP_LABEL: Record<GroupBy, string> = {
  none: '',
  extractor: 'No extractor',
  job: 'Not a job (ELT schedules)',
};

/**
 * Consecutive groups of an already sorted list, groups A→Z and the "no extractor/job" one last; rows
 * keep their order. With `none`, one unlabelled group.
 */
export function groupSchedules(sorted: readonly Schedule[], by: GroupBy): Group[] {
  if (by === 'none') return [{ key: NO_GROUP, label: '', rows: [...sorted] }];
  const groups = new Map<string, Schedule[]>();
  for (const s of sorted) {
    const key = groupKey(s, by);
    const rows = groups.get(key);
    if (rows) rows.push(s);
    else groups.set(key, [s]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === NO_GROUP ? 1 : b === NO_GROUP ? -1 : a.localeCompare(b)))
    .map(([key, rows]) => ({ key, label: key === NO_GROUP ? NO_GROUP_LABEL[by] : key, rows }));
}

export const PAGE_SIZE = 100;

/**
 * One page of the grouped list: groups are cut at the page's edges, so a group that spans two pages
 * shows its heading on both (with its full size, `total`).
 */
export function pageOfGroups(
  groups: readonly Group[],
  page: number,
  size = PAGE_SIZE,
): { groups: (Group & { total: number })[]; pages: number; page: number } {
  const count = groups.reduce((n, g) => n + g.rows.length, 0);
  const pages = Math.max(1, Math.ceil(count / size));
  const current = Math.min(Math.max(1, page), pages);
  const start = (current - 1) * size;
  const end = start + size;
  const out: (Group & { total: number })[] = [];
  let offset = 0;
  for (const g of groups) {
    const from = Math.max(start - offset, 0);
    const to = Math.min(end - offset, g.rows.length);
    if (from < to) out.push({ ...g, rows: g.rows.slice(from, to), total: g.rows.length });
    offset += g.rows.length;
  }
  return { groups: out, pages, page: current };
}
