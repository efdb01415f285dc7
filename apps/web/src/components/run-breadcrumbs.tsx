import { useStateIds } from '../api/get-state-ids';
import { Breadcrumbs, type Crumb } from './breadcrumbs';

/**
 * "Pipelines › daily-orders › Run 5002": the run's pipeline is the schedule (or job) recording its
 * state ID; a state ID no pipeline records any more (renamed, or runs from the CLI) sits under Runs.
 */
export function RunBreadcrumbs({ id, stateId }: { id: number; stateId: string | undefined }) {
  const summary = useStateIds().data?.find((s) => s.state_id === stateId);
  const schedule = summary?.schedules[0];
  const job = summary?.jobs[0];
  const parent: Crumb[] = schedule
    ? [
        { label: 'Pipelines', to: '/' },
        { label: schedule, to: `/schedules/${encodeURIComponent(schedule)}` },
      ]
    : job
      ? [
          { label: 'Pipelines', to: '/' },
          { label: job, to: `/jobs/${encodeURIComponent(job)}` },
        ]
      : [{ label: 'Runs', to: '/runs' }];
  return <Breadcrumbs items={[...parent, { label: `Run ${id}` }]} />;
}
