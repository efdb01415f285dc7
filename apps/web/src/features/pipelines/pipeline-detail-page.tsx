import type { ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { usePermission } from '../../api/get-identity';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { LateBadge } from '../../components/late-badge';
import { PipelineEditActions } from '../../components/pipeline-edit/pipeline-edit-actions';
import { type SharedStateIds, SharedStateNotice } from '../../components/pipeline-edit/shared-state-notice';
import { RunNowButton } from '../../components/run-control/run-now-button';
import { RunWithOptionsButton } from '../../components/run-control/run-options-dialog';
import { RunHistory } from '../../components/run-history/run-history';
import { ErrorState, Loading } from '../../components/states';
import { LatestRunBadge } from '../../components/status-badge';
import type { Run, Schedule } from '../../lib/api-types';
import { counted, percent } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { useJob } from './api/get-job';
import { useSchedule } from './api/get-schedule';
import { CancelLatestRun } from './cancel-latest-run';
import { DurationChart } from './duration-chart';
import { EnvironmentTab } from './environment-tab';
import { ScheduleDefinition } from './pipeline-definition';
import { jobTasks } from './pipeline-summary';
import { Tabs } from './pipeline-tabs';
import { RecordsChart } from './records-chart';
import { StatePanel } from './state-panel';

interface Shared {
  name: string;
  state_ids: string[];
  shared_state_ids: SharedStateIds;
  latest_run: Run | null;
  totals: { total: number; success_rate: number | null };
  /** Schedules only: jobs are never late. */
  lateness?: Schedule['lateness'];
}

function Body({
  p,
  kind,
  definition,
  actions,
}: {
  p: Shared;
  kind: 'schedule' | 'job';
  definition: ReactNode;
  actions: ReactNode;
}) {
  // The tab and the environment picked in it are in the URL, so a link can open them.
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') === 'environment' ? 'environment' : 'overview';
  const picked = search.get('no_environment') === '1' ? null : (search.get('environment') ?? undefined);
  return (
    <>
      <Breadcrumbs items={[{ label: 'Pipelines', to: '/' }, { label: p.name }]} />
      <div className="page-head">
        <h2>{p.name}</h2>
        <LatestRunBadge run={p.latest_run} of={p.name} />
        {p.lateness ? <LateBadge lateness={p.lateness} /> : null}
        <span className="muted">
          {counted(p.totals.total, 'run')} · {percent(p.totals.success_rate)} succeeded
        </span>
        <RunNowButton pipeline={{ kind, name: p.name }} running={p.latest_run?.status === 'running'} />
        <RunWithOptionsButton
          pipeline={{ kind, name: p.name }}
          running={p.latest_run?.status === 'running'}
        />
        <CancelLatestRun run={p.latest_run} />
        {actions}
      </div>
      <SharedStateNotice shared={p.shared_state_ids} what={`This ${kind}`} />
      <Tabs
        label={`${p.name} views`}
        selected={tab}
        onSelect={(id) => setSearch(id === 'overview' ? {} : { tab: id }, { replace: true })}
        tabs={[
          {
            id: 'overview',
            label: 'Overview',
            panel: () => (
              <>
                <section aria-labelledby="definition">
                  <h3 id="definition">Definition</h3>
                  {definition}
                </section>
                <section aria-labelledby="state-ids">
                  <h3 id="state-ids">State IDs and Singer state</h3>
                  {p.state_ids.length === 0 ? (
                    <p className="muted">None.</p>
                  ) : (
                    p.state_ids.map((id) => <StatePanel key={id} stateId={id} />)
                  )}
                </section>
                <div className="pipeline-charts">
                  <section aria-labelledby="durations">
                    <h3 id="durations">Durations</h3>
                    <DurationChart stateIds={p.state_ids} />
                  </section>
                  <section aria-labelledby="records">
                    <h3 id="records">Records moved</h3>
                    <RecordsChart stateIds={p.state_ids} />
                  </section>
                </div>
                <section aria-labelledby="history">
                  <h3 id="history">Run history</h3>
                  <RunHistory stateIds={p.state_ids} caption={`Runs of ${p.name}`} />
                </section>
              </>
            ),
          },
          {
            id: 'environment',
            label: 'Environment',
            panel: () => (
              <EnvironmentTab
                kind={kind}
                name={p.name}
                picked={picked}
                onPick={(environment) =>
                  setSearch(
                    environment === undefined
                      ? { tab: 'environment' }
                      : environment === null
                        ? { tab: 'environment', no_environment: '1' }
                        : { tab: 'environment', environment },
                    { replace: true },
                  )
                }
              />
            ),
          },
        ]}
      />
    </>
  );
}

export function ScheduleDetailPage() {
  const name = useParams().name ?? '';
  usePageTitle(name, 'Schedule');
  const schedule = useSchedule(name);
  if (schedule.isPending) return <Loading what={`schedule ${name}`} />;
  if (schedule.isError)
    return (
      <>
        <Breadcrumbs items={[{ label: 'Pipelines', to: '/' }, { label: name }]} />
        <ErrorState what={`schedule ${name}`} error={schedule.error} retry={() => void schedule.refetch()} />
      </>
    );
  const s = schedule.data;
  return (
    <Body
      p={s}
      kind="schedule"
      definition={<ScheduleDefinition s={s} />}
      actions={
        <PipelineEditActions
          target={{
            kind: 'schedule',
            name: s.name,
            version: s.version,
            source_file: s.source_file,
            state_ids: s.state_ids,
            run_count: s.totals.total,
            used_by: [],
            job: s.job,
          }}
        />
      }
    />
  );
}

export function JobDetailPage() {
  const name = useParams().name ?? '';
  usePageTitle(name, 'Job');
  const job = useJob(name);
  const canEdit = usePermission('edit_project').allowed;
  if (job.isPending) return <Loading what={`job ${name}`} />;
  if (job.isError)
    return (
      <>
        <Breadcrumbs items={[{ label: 'Pipelines', to: '/' }, { label: name }]} />
        <ErrorState what={`job ${name}`} error={job.error} retry={() => void job.refetch()} />
      </>
    );
  const j = job.data;
  return (
    <Body
      p={j}
      kind="job"
      actions={
        <PipelineEditActions
          target={{
            kind: 'job',
            name: j.name,
            version: j.version,
            source_file: j.source_file,
            state_ids: j.state_ids,
            run_count: j.totals.total,
            used_by: j.schedules,
          }}
        />
      }
      definition={
        <dl className="definition">
          <dt>Tasks</dt>
          <dd>
            <code>{jobTasks(j)}</code>
          </dd>
          <dt>Environment</dt>
          <dd>{j.environment ?? 'none'}</dd>
          <dt>Schedules</dt>
          <dd>
            {j.schedules.length === 0
              ? 'none'
              : j.schedules.map((s) => (
                  <Link key={s} to={`/schedules/${encodeURIComponent(s)}`}>
                    {s}{' '}
                  </Link>
                ))}
            {canEdit ? (
              <>
                {' · '}
                <Link to={`/schedules/new?job=${encodeURIComponent(j.name)}`}>add a schedule</Link>
              </>
            ) : null}
          </dd>
          <dt>Defined in</dt>
          <dd>
            <code>{j.source_file}</code>
          </dd>
        </dl>
      }
    />
  );
}
