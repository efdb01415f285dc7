import { Link, useParams } from 'react-router';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { ErrorState, Loading } from '../../components/states';
import { usePageTitle } from '../../lib/use-page-title';
import { useJob } from '../pipelines/api/get-job';
import { JobEditor } from './job-editor';

/** `/jobs/new`. */
export function NewJobPage() {
  usePageTitle('New job');
  return (
    <>
      <Breadcrumbs items={[{ label: 'Pipelines', to: '/' }, { label: 'New job' }]} />
      <div className="page-head">
        <h2>New job</h2>
      </div>
      <JobEditor />
    </>
  );
}

/** `/jobs/:name/edit`. */
export function EditJobPage() {
  const name = useParams().name ?? '';
  usePageTitle(`Edit ${name}`, 'Jobs');
  const job = useJob(name);
  const retry = () => void job.refetch();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: 'Pipelines', to: '/' },
          { label: name, to: `/jobs/${encodeURIComponent(name)}` },
          { label: 'Edit' },
        ]}
      />
      <div className="page-head">
        <h2>
          Edit job <Link to={`/jobs/${encodeURIComponent(name)}`}>{name}</Link>
        </h2>
        {job.data ? (
          <span className="muted">
            in <code>{job.data.source_file}</code>
          </span>
        ) : null}
      </div>
      {job.isError ? <ErrorState what={`job ${name}`} error={job.error} retry={retry} /> : null}
      {job.isPending ? <Loading what={`job ${name}`} /> : null}
      {/* Keyed by name: another job's page starts from a fresh form. */}
      {job.data ? (
        <JobEditor key={name} latest={job.data} reloadLatest={() => job.refetch().then((r) => r.data)} />
      ) : null}
    </>
  );
}
