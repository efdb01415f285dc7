import type { ReactNode } from 'react';
import { EnvReferences } from '../../components/env-references';
import { LateBadge } from '../../components/late-badge';
import { AbsoluteTime, RelativeTime } from '../../components/relative-time';
import type { Schedule } from '../../lib/api-types';
import { duration } from '../../lib/format';

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** What a schedule is, as meltano.yml defines it (env values with secrets already redacted by the API). */
export function ScheduleDefinition({ s }: { s: Schedule }) {
  const env = Object.entries(s.env);
  return (
    <dl className="definition">
      <Row term="Interval">
        <code>{s.interval ?? '(none)'}</code> — {s.interval_description}
        {s.cron && s.cron !== s.interval ? (
          <span className="muted">
            {' '}
            (cron <code>{s.cron}</code>)
          </span>
        ) : null}
      </Row>
      <Row term="Next run">
        {s.next_run_at ? (
          <>
            <AbsoluteTime iso={s.next_run_at} /> (<RelativeTime iso={s.next_run_at} />)
          </>
        ) : (
          <span className="muted">not on a timer</span>
        )}
      </Row>
      <Row term="On schedule">
        <Punctuality lateness={s.lateness} />
      </Row>
      {s.kind === 'elt' ? (
        <>
          <Row term="Extractor">
            <code>{s.extractor}</code>
          </Row>
          <Row term="Loader">
            <code>{s.loader}</code>
          </Row>
          <Row term="Transform">{s.transform}</Row>
        </>
      ) : (
        <>
          <Row term="Job">
            <code>{s.job}</code>
          </Row>
          <Row term="Tasks">
            {s.tasks ? (
              <ol className="tasks">
                {s.tasks.map((t, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: tasks are positional and may repeat
                  <li key={i}>
                    <code>{t.join(' ')}</code>
                  </li>
                ))}
              </ol>
            ) : (
              <span className="warn-text">not defined</span>
            )}
          </Row>
          <Row term="Environment">
            {s.environment ?? <span className="warn-text">none: `meltano run` needs one</span>}
          </Row>
        </>
      )}
      {s.start_date ? <Row term="Start date">{s.start_date}</Row> : null}
      <Row term="Env">
        {env.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <>
            <ul className="env">
              {env.map(([k, v]) => (
                <li key={k}>
                  <code>
                    {k}={v}
                  </code>
                </li>
              ))}
            </ul>
            <EnvReferences references={s.env_references} label={`Variables the env of ${s.name} reads`} />
          </>
        )}
      </Row>
      <Row term="Defined in">
        <code>{s.source_file}</code>
      </Row>
    </dl>
  );
}

const NEVER_LATE = {
  no_cron: 'never late: it runs only when started (@once, @manual)',
  invalid_interval: 'unknown: its interval does not parse',
  not_orchestrated: 'never late: marked not orchestrated (annotations: meltano-ui: orchestrated: false)',
} as const;

/** Whether the orchestrator started it when its interval says, and what counts as late. */
function Punctuality({ lateness: l }: { lateness: Schedule['lateness'] }) {
  if (l.status === 'not_applicable') {
    return <span className="muted">{NEVER_LATE[l.not_applicable_reason ?? 'no_cron']}</span>;
  }
  const grace = <span className="muted"> (grace {duration(l.grace_seconds)}, ui.schedule_grace)</span>;
  if (l.status === 'late') {
    return (
      <>
        <LateBadge lateness={l} /> expected at <AbsoluteTime iso={l.expected_at} />; no run of its state IDs
        began within the grace window{grace}
      </>
    );
  }
  return <>on time{grace}</>;
}
