import { Link } from 'react-router';
import type { Run } from '../../../lib/api-types';
import { useNeighbourRuns } from '../api/get-neighbour-runs';
import { useRunOwners } from '../api/get-run-owners';

/** Where the run comes from (its schedule or job) and the runs before and after it of its state ID. */
export function RunLinks({ run }: { run: Run }) {
  const owners = useRunOwners(run.state_id);
  const neighbours = useNeighbourRuns(run);
  const { previous = null, next = null } = neighbours.data ?? {};
  return (
    <nav className="run-neighbours" aria-label="Related runs">
      {owners.data?.map((owner) => (
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
