import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { usePermission } from '../../api/get-identity';
import { DeletePipelineButton } from '../../components/pipeline-edit/delete-pipeline-dialog';
import { SharedStateNotice } from '../../components/pipeline-edit/shared-state-notice';
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
import { useEntityForm } from './use-entity-form';

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
  const groups = useMemo(() => blockGroups(plugins.data ?? {}), [plugins.data]);
  const known = useMemo(() => (plugins.data ? knownNames(plugins.data) : null), [plugins.data]);
  const editor = useEntityForm({
    latest,
    reloadLatest,
    toForm: jobForm,
    emptyForm: emptyJobForm,
    fields: FIELDS,
    errorsOf: jobFormErrors,
    createBody: createJobBody,
    patchBody: jobPatchBody,
    create: useCreateJob(),
    update: useUpdateJob(),
    done: (name) => void navigate(`/jobs/${encodeURIComponent(name)}`),
  });
  const { base, form, mutation, problem, errors, fieldProblem, problemIndex, changedOnDisk, reload, submit } =
    editor;
  const set = (change: Partial<JobForm>) => {
    editor.edited();
    editor.setForm((prev) => ({ ...prev, ...change }));
  };
  const scheduledBy = latest?.schedules ?? [];

  return (
    <form
      className="editor"
      onSubmit={submit}
      noValidate
      aria-label={base ? `Edit job ${base.form.name}` : 'New job'}
    >
      <EditPermissionNote permission={permission} />
      {latest ? <SharedStateNotice shared={latest.shared_state_ids} what="This job" /> : null}
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
          errorIndex={problemIndex}
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
