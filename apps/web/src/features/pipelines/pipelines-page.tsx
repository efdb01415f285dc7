import { StatusBadge } from '../../components/status-badge';
import type { Schedule } from '../../lib/api-types';
import { duration, percent, relativeTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useSchedules } from './api/get-schedules';

function runsWhat(s: Schedule): string {
  if (s.kind === 'job')
    return `job ${s.job}${s.tasks ? `: ${s.tasks.map((t) => t.join(' ')).join(', ')}` : ''}`;
  return [s.extractor, s.loader, s.transform && s.transform !== 'skip' ? `transform (${s.transform})` : null]
    .filter(Boolean)
    .join(' → ');
}

function OutcomeStrip({ schedule }: { schedule: Schedule }) {
  const outcomes = [...schedule.recent_runs].reverse();
  return (
    <ol className="strip" aria-label={`Last ${outcomes.length} runs, oldest first`}>
      {outcomes.map((r) => (
        <li key={r.id} className={`strip-${r.status}`} title={`${r.status} ${r.started_at ?? ''}`} />
      ))}
    </ol>
  );
}

export function PipelinesPage() {
  const schedules = useSchedules();
  const now = useNow();
  if (schedules.isPending) return <p role="status">Loading pipelines…</p>;
  if (schedules.isError) {
    return (
      <div role="alert" className="error">
        Could not load pipelines: {schedules.error.message}
      </div>
    );
  }
  if (schedules.data.length === 0) {
    return <p>This project has no schedules yet. Add one to meltano.yml, or with `meltano schedule add`.</p>;
  }
  return (
    <table className="pipelines">
      <caption>Pipelines</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Runs</th>
          <th scope="col">Interval</th>
          <th scope="col">Latest run</th>
          <th scope="col">Started</th>
          <th scope="col">Duration</th>
          <th scope="col">Last 20</th>
          <th scope="col">Success</th>
        </tr>
      </thead>
      <tbody>
        {schedules.data.map((s) => (
          <tr key={s.name}>
            <th scope="row">{s.name}</th>
            <td>{runsWhat(s)}</td>
            <td title={s.interval ?? ''}>
              {s.interval_description}
              {s.next_run_at ? <div className="muted">next {relativeTime(s.next_run_at, now)}</div> : null}
            </td>
            <td>
              <StatusBadge run={s.latest_run} />
            </td>
            <td>{relativeTime(s.latest_run?.started_at ?? null, now)}</td>
            <td>{duration(s.latest_run?.duration_seconds ?? null)}</td>
            <td>
              <OutcomeStrip schedule={s} />
            </td>
            <td>{percent(s.totals.success_rate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
