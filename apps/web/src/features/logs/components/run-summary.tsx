import { FailureCause } from '../../../components/failure-cause';
import { AbsoluteTime, Elapsed } from '../../../components/relative-time';
import { RunBreadcrumbs } from '../../../components/run-breadcrumbs';
import { StatusBadge } from '../../../components/status-badge';
import type { Run } from '../../../lib/api-types';
import { useNow } from '../../../lib/clock';
import { duration, relativeTime } from '../../../lib/format';
import { RunLinks } from './run-links';

/** A moment both ways: the absolute time, and how long ago (ticking). */
function Moment({ iso, now }: { iso: string | null; now: number }) {
  if (iso === null) return <>—</>;
  return (
    <>
      <AbsoluteTime iso={iso} /> <span className="muted">({relativeTime(iso, now)})</span>
    </>
  );
}

/**
 * The run as the server last described it, its heartbeat age advanced by the time since: the
 * server's clock decides, so a browser clock that is off does not make a live run look dead.
 */
function aged(run: Run, receivedAt: number, now: number): Run {
  if (run.heartbeat_age_seconds === null) return run;
  return { ...run, heartbeat_age_seconds: run.heartbeat_age_seconds + Math.max(0, now - receivedAt) / 1000 };
}

/** The run's status, state ID, trigger, times and failure message, ticking while it runs. */
export function RunSummary({ run: received, receivedAt }: { run: Run; receivedAt: number }) {
  const now = useNow();
  const run = aged(received, receivedAt, now);
  const running = run.status === 'running' || run.status === 'stale';
  // A presumed-dead run's clock stops at its last heartbeat: it is not running "so far".
  const deadFor =
    run.status === 'stale' && run.started_at !== null && run.last_heartbeat_at !== null
      ? Math.max(0, (Date.parse(run.last_heartbeat_at) - Date.parse(run.started_at)) / 1000)
      : null;
  return (
    <header className="run-summary">
      {/* One line above the title: where the run sits, and where to go next (the log keeps the height). */}
      <div className="run-nav">
        <RunBreadcrumbs id={run.id} stateId={run.state_id} />
        <RunLinks run={run} />
      </div>
      <h2>
        Run {run.id} <span className="run-state-id">{run.state_id}</span>
      </h2>
      <dl className="run-facts">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge run={run} />
            {run.status === 'running' && run.heartbeat_age_seconds !== null ? (
              <span className="muted"> heartbeat {duration(run.heartbeat_age_seconds)} ago</span>
            ) : null}
            {run.status === 'stale' ? (
              <span className="muted">
                {' '}
                presumed dead
                {run.heartbeat_age_seconds === null
                  ? ' (no heartbeat recorded)'
                  : `: no heartbeat for ${duration(run.heartbeat_age_seconds)}`}
              </span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>State ID</dt>
          <dd>
            <code>{run.state_id}</code>
          </dd>
        </div>
        <div>
          <dt>Trigger</dt>
          <dd>{run.trigger ?? '—'}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <Moment iso={run.started_at} now={now} />
          </dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>{run.ended_at === null && running ? 'Not yet' : <Moment iso={run.ended_at} now={now} />}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>
            {deadFor !== null && run.duration_seconds === null ? (
              <>
                {duration(deadFor)} <span className="muted">until its last heartbeat</span>
              </>
            ) : (
              <>
                <Elapsed startedAt={run.started_at} seconds={run.duration_seconds} />
                {run.duration_seconds === null && running ? <span className="muted"> so far</span> : null}
              </>
            )}
          </dd>
        </div>
      </dl>
      {run.error ? (
        <section className="run-failure" aria-labelledby="run-failure-title">
          <h3 id="run-failure-title">Failure message</h3>
          {run.failure_cause ? <FailureCause runId={run.id} cause={run.failure_cause} /> : null}
          <pre>{run.error}</pre>
        </section>
      ) : null}
    </header>
  );
}
