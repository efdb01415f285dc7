import { Link } from 'react-router';
import { useStateIds } from '../../../api/get-state-ids';
import type { Run } from '../../../lib/api-types';
import { useNeighbourRuns } from '../api/get-neighbour-runs';

/** Where the run comes from (its schedule or job) and the runs before and after it of its state ID. */
export function RunLinks({ run }: { run: Run }) {
  // The schedules and jobs recording this state ID (several may share one).
  const summary = useStateIds().data?.find((s) => s.state_id === run.state_id);
  const owners = [
    ...(summary?.schedules ?? []).map((name) => ({ kind: 'schedule' as const, name })),
    ...(summary?.jobs ?? []).map((name) => ({ kind: 'job' as const, name })),
  ];
  const neighbours = useNeighbourRuns(run);
  const { previous = null, next = null } = neighbours.data ?? {};
  return (
    <nav className="run-neighbours" aria-label="Related runs">
      {owners.map((owner) => (
        <Link key={`${owner.kind}:${owner.name}`} to={`/${owner.kind}s/${encodeURIComponent(owner.name)}`}>
          {owner.kind === 'schedule' ? 'Schedule' : 'Job'} {owner.name}
        </Link>
      ))}
      <Link to={`/runs?state_id=${encodeURIComponent(run.state_id)}`}>All runs of this state ID</Link>
      {previous ? (
        <Link to={`/runs/${previous.id}`} rel="prev">
          ← Previous run ({previous.id})
        </Link>
      ) : neighbours.isSuccess ? (
        <span className="muted">No earlier run</span>
      ) : null}
      {next ? (
        <Link to={`/runs/${next.id}`} rel="next">
          Next run ({next.id}) →
        </Link>
      ) : neighbours.isSuccess ? (
        <span className="muted">No later run</span>
      ) : null}
    </nav>
  );
}
