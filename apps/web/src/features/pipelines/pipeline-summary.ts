import type { Job, Schedule } from '../../lib/api-types';

/** "tap → target → transform (run)" or "job x: tap target, dbt:run". */
export function runsWhat(s: Schedule): string {
  if (s.kind === 'job')
    return s.tasks ? s.tasks.map((t) => t.join(' ')).join(' · ') : `job ${s.job} (not defined)`;
  const parts = [s.extractor, s.loader];
  if (s.transform && s.transform !== 'skip') parts.push(`transform (${s.transform})`);
  return parts.join(' → ');
}

export function jobTasks(job: Job): string {
  return job.tasks.map((t) => t.join(' ')).join(' · ');
}

export type StatusFilter = 'all' | 'running' | 'failed' | 'success' | 'stale' | 'never' | 'late';

/** `lateness`: a schedule's (jobs and unscheduled state IDs are never late). */
export function matchesStatus(
  latest: Schedule['latest_run'],
  filter: StatusFilter,
  lateness?: Schedule['lateness'],
): boolean {
  if (filter === 'all') return true;
  if (filter === 'late') return lateness?.status === 'late';
  if (filter === 'never') return latest === null;
  return latest?.status === filter;
}

export function matchesSearch(text: string, ...fields: (string | null | undefined)[]): boolean {
  const needle = text.trim().toLowerCase();
  return needle === '' || fields.some((f) => f?.toLowerCase().includes(needle));
}
