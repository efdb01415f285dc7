import { type FormEvent, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { usePermission } from '../../api/get-identity';
import { DeletePipelineButton } from '../../components/pipeline-edit/delete-pipeline-dialog';
import type { Job } from '../../lib/api-types';
import { useCreateJob } from './api/create-job';
import { useProjectPlugins } from './api/get-project-plugins';
import { useUpdateJob } from './api/update-job';
import { EditPermissionNote } from './components/edit-permission-note';
import { NameField } from './components/form-fields';
import { TaskListEditor } from './components/task-list-editor';
import { ChangedOnDiskNote, WriteProblemBanner } from './components/write-problem-banner';
import {
  createJobBody,
  emptyJobForm,
  type JobField,
  type JobForm,
  jobForm,
  jobFormErrors,
  jobPatchBody,
} from './model/job-form';
import { blockGroups, knownNames } from './model/task-choices';
import { writeProblem } from './model/write-error';

const FIELDS: readonly JobField[] = ['name', 'tasks'];

/** Create (no `latest`) or edit a job; like the schedule editor, filled once and told of newer versions. */
export function JobEditor({
  latest,
  reloadLatest,
}: {
  latest?: Job;
  /** Reads the job again now (after a 409, the polled copy may still be the old one). */
  reloadLatest?: () => Promise<Job | undefined>;
}) {
  const navigate = useNavigate();
  const permission = usePermission('edit_project');
  const plugins = useProjectPlugins();
  const create = useCreateJob();
  const update = useUpdateJob();
  const [base, setBase] = useState(() =>
    latest ? { form: jobForm(latest), version: latest.version } : null,
  );
  const [form, setForm] = useState<JobForm>(() => base?.form ?? emptyJobForm());
  const [tried, setTried] = useState(false);
  const groups = useMemo(() => blockGroups(plugins.data ?? {}), [plugins.data]);
  const known = useMemo(() => (plugins.data ? knownNames(plugins.data) : null), [plugins.data]);

  const mutation = base ? update : create;
  const problem = mutation.isError ? writeProblem(mutation.error) : null;
  const errors: Partial<Record<JobField, string>> = tried ? jobFormErrors(form) : {};
  const fieldProblem = problem?.kind === 'field' && FIELDS.includes(problem.field as JobField);
  if (fieldProblem && problem) errors[problem.field as JobField] ??= problem.message;
  const set = (change: Partial<JobForm>) => {
    if (fieldProblem) mutation.reset();
    setForm((prev) => ({ ...prev, ...change }));
  };
  // Reads the entity again first: after a 409 the copy polled a moment ago may be the old one.
  const reload = async () => {
    const current = (await reloadLatest?.()) ?? latest;
    if (!current) return;
    const fresh = jobForm(current);
    setBase({ form: fresh, version: current.version });
    setForm(fresh);
    update.reset();
  };
  const changedOnDisk = base !== null && latest !== undefined && latest.version !== base.version;
  const scheduledBy = latest?.schedules ?? [];
  const done = (name: string) => navigate(`/jobs/${encodeURIComponent(name)}`);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(jobFormErrors(form)).length > 0) return;
    if (!base) {
      create.mutate(createJobBody(form), { onSuccess: (written) => done(written.name) });
      return;
    }
    const patch = jobPatchBody(form, base.form);
    if (Object.keys(patch).length === 0) {
      void done(base.form.name);
      return;
    }
    update.mutate(
      { name: base.form.name, version: base.version, patch },
      { onSuccess: (written) => done(written.name) },
    );
  };

  return (
    <form
      className="editor"
      onSubmit={submit}
      noValidate
      aria-label={base ? `Edit job ${base.form.name}` : 'New job'}
    >
      <EditPermissionNote permission={permission} />
      {changedOnDisk && !problem ? (
        <ChangedOnDiskNote what="This job" onReload={() => void reload()} />
      ) : null}
      <WriteProblemBanner
        problem={fieldProblem ? null : problem}
        what="the job"
        {...(latest ? { onReload: () => void reload() } : {})}
      />
      <fieldset disabled={!permission.allowed || mutation.isPending} className="editor-fields">
        <NameField
          value={form.name}
          error={errors.name}
          onChange={(name) => set({ name })}
          // Meltano does not follow a job's schedules around, so the server refuses the rename.
          disabledReason={
            base && scheduledBy.length > 0
              ? `Schedules run this job by name (${scheduledBy.join(', ')}): it cannot be renamed while they do.`
              : null
          }
        />
        <TaskListEditor
          tasks={form.tasks}
          onChange={(tasks) => set({ tasks })}
          groups={groups}
          known={known}
          error={errors.tasks}
        />
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!permission.allowed || mutation.isPending}>
          {mutation.isPending ? 'Saving…' : base ? 'Save job' : 'Create job'}
        </button>
        <Link to={base ? `/jobs/${encodeURIComponent(base.form.name)}` : '/'}>Cancel</Link>
        {base && latest ? (
          <span className="form-actions-end">
            <DeletePipelineButton
              target={{
                kind: 'job',
                name: base.form.name,
                // What is on disk now (the page re-reads it): deleting does not depend on the form.
                version: latest.version,
                source_file: latest.source_file,
                state_ids: latest.state_ids,
                run_count: latest.totals.total,
                used_by: scheduledBy,
              }}
              onDeleted={() => void navigate('/')}
            />
          </span>
        ) : null}
      </div>
    </form>
  );
}
