import { Link, useParams, useSearchParams } from 'react-router';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { ErrorState, Loading } from '../../components/states';
import { usePageTitle } from '../../lib/use-page-title';
import { useSchedule } from '../pipelines/api/get-schedule';
import { ScheduleEditor } from './schedule-editor';

/** `/schedules/new`, prefilled from `?extractor=&loader=` or `?job=` (links from plugin and job pages). */
export function NewSchedulePage() {
  usePageTitle('New schedule');
  const [params] = useSearchParams();
  const pick = (key: string) => params.get(key) ?? undefined;
  const job = pick('job');
  return (
    <>
      <Breadcrumbs items={[{ label: 'Pipelines', to: '/' }, { label: 'New schedule' }]} />
      <div className="page-head">
        <h2>New schedule</h2>
      </div>
      <ScheduleEditor
        start={{
          ...(job ? { kind: 'job' as const, job } : {}),
          ...(pick('extractor') ? { extractor: pick('extractor') } : {}),
          ...(pick('loader') ? { loader: pick('loader') } : {}),
        }}
      />
    </>
  );
}

/** `/schedules/:name/edit`. */
export function EditSchedulePage() {
  const name = useParams().name ?? '';
  usePageTitle(`Edit ${name}`, 'Schedules');
  const schedule = useSchedule(name);
  const retry = () => void schedule.refetch();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: 'Pipelines', to: '/' },
          { label: name, to: `/schedules/${encodeURIComponent(name)}` },
          { label: 'Edit' },
        ]}
      />
      <div className="page-head">
        <h2>
          Edit schedule <Link to={`/schedules/${encodeURIComponent(name)}`}>{name}</Link>
        </h2>
        {schedule.data ? (
          <span className="muted">
            in <code>{schedule.data.source_file}</code>
          </span>
        ) : null}
      </div>
      {schedule.isError ? (
        <ErrorState what={`schedule ${name}`} error={schedule.error} retry={retry} />
      ) : null}
      {schedule.isPending ? <Loading what={`schedule ${name}`} /> : null}
      {/* Keyed by name: another schedule's page starts from a fresh form. */}
      {schedule.data ? (
        <ScheduleEditor
          key={name}
          latest={schedule.data}
          reloadLatest={() => schedule.refetch().then((r) => r.data)}
        />
      ) : null}
    </>
  );
}
