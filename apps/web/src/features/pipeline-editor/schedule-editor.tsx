import { useId, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { usePermission } from '../../api/get-identity';
import { DeletePipelineButton } from '../../components/pipeline-edit/delete-pipeline-dialog';
import { SharedStateNotice } from '../../components/pipeline-edit/shared-state-notice';
import type { Schedule } from '../../lib/api-types';
import { useCreateSchedule } from './api/create-schedule';
import { useJobs } from './api/get-jobs';
import { useProjectPlugins } from './api/get-project-plugins';
import { useUpdateSchedule } from './api/update-schedule';
import { CronEditor } from './components/cron-editor';
import { EditPermissionNote } from './components/edit-permission-note';
import { EnvEditor } from './components/env-editor';
import { describedBy, FieldError } from './components/field-error';
import { NameField, PickField } from './components/form-fields';
import { ChangedOnDiskNote, WriteProblemBanner } from './components/write-problem-banner';
import {
  createBody,
  emptyScheduleForm,
  patchBody,
  type ScheduleField,
  type ScheduleForm,
  scheduleForm,
  scheduleFormErrors,
  suggestedScheduleName,
  TRANSFORMS,
  type Transform,
} from './model/schedule-form';
import { namesOf } from './model/task-choices';
import { useEntityForm } from './use-entity-form';

const FIELDS: readonly ScheduleField[] = [
  'name',
  'interval',
  'job',
  'extractor',
  'loader',
  'transform',
  'env',
];

const TRANSFORM_LABELS: Record<Transform, string> = {
  skip: 'skip — extract and load only',
  run: 'run — then run the transforms',
  only: 'only — run the transforms alone',
};

/**
 * Create (no `latest`) or edit a schedule. `latest` is re-read while the form is open: the form is
 * filled once, and a newer version on disk is pointed out rather than silently merged.
 */
export function ScheduleEditor({
  latest,
  reloadLatest,
  start,
}: {
  latest?: Schedule;
  /** Reads the schedule again now (after a 409, the polled copy may still be the old one). */
  reloadLatest?: () => Promise<Schedule | undefined>;
  start?: Parameters<typeof emptyScheduleForm>[0];
}) {
  const id = useId();
  const navigate = useNavigate();
  const permission = usePermission('edit_project');
  const plugins = useProjectPlugins();
  const jobs = useJobs();
  const editor = useEntityForm({
    latest,
    reloadLatest,
    toForm: scheduleForm,
    emptyForm: () => {
      const empty = emptyScheduleForm(start);
      return { ...empty, name: suggestedScheduleName(empty) };
    },
    fields: FIELDS,
    errorsOf: scheduleFormErrors,
    createBody,
    patchBody,
    create: useCreateSchedule(),
    update: useUpdateSchedule(),
    done: (name) => void navigate(`/schedules/${encodeURIComponent(name)}`),
  });
  const { base, form, mutation, problem, errors, fieldProblem, changedOnDisk, reload, submit, edited } =
    editor;
  // Until the name is typed, it follows the pipeline it runs (as the old UI proposed it).
  const [nameTouched, setNameTouched] = useState(latest !== undefined);
  const set = (change: Partial<ScheduleForm>) => {
    edited();
    editor.setForm((prev) => {
      const next = { ...prev, ...change };
      return nameTouched ? next : { ...next, name: suggestedScheduleName(next) };
    });
  };

  const extractors = namesOf(plugins.data, 'extractors');
  const loaders = namesOf(plugins.data, 'loaders');
  const jobNames = (jobs.data ?? []).map((j) => j.name);
  const renamingElt = base?.form.kind === 'elt' && form.kind === 'elt' && form.name !== base.form.name;

  return (
    <form
      className="editor"
      onSubmit={submit}
      noValidate
      aria-label={base ? `Edit schedule ${base.form.name}` : 'New schedule'}
    >
      <EditPermissionNote permission={permission} />
      {latest ? <SharedStateNotice shared={latest.shared_state_ids} what="This schedule" /> : null}
      {changedOnDisk && !problem ? (
        <ChangedOnDiskNote what="This schedule" onReload={() => void reload()} />
      ) : null}
      <WriteProblemBanner
        problem={fieldProblem ? null : problem}
        what="the schedule"
        {...(latest ? { onReload: () => void reload() } : {})}
      />
      <fieldset disabled={!permission.allowed || mutation.isPending} className="editor-fields">
        <fieldset className="choice">
          <legend>Runs</legend>
          <label>
            <input
              type="radio"
              name={`${id}-kind`}
              checked={form.kind === 'elt'}
              onChange={() => set({ kind: 'elt' })}
            />{' '}
            an extractor into a loader <span className="muted">(meltano elt)</span>
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-kind`}
              checked={form.kind === 'job'}
              onChange={() => set({ kind: 'job' })}
            />{' '}
            a job <span className="muted">(meltano run)</span>
          </label>
        </fieldset>
        {form.kind === 'elt' ? (
          <div className="field-row">
            <PickField
              label="Extractor"
              value={form.extractor}
              options={extractors}
              loading={plugins.isPending}
              error={errors.extractor}
              addTo="/plugins/add/extractors"
              onChange={(extractor) => set({ extractor })}
            />
            <PickField
              label="Loader"
              value={form.loader}
              options={loaders}
              loading={plugins.isPending}
              error={errors.loader}
              addTo="/plugins/add/loaders"
              onChange={(loader) => set({ loader })}
            />
            <div className="field">
              <label htmlFor={`${id}-transform`}>Transform</label>
              <select
                id={`${id}-transform`}
                value={form.transform}
                onChange={(e) => set({ transform: e.target.value as Transform })}
                {...describedBy(`${id}-transform-error`, errors.transform)}
              >
                {TRANSFORMS.map((t) => (
                  <option key={t} value={t}>
                    {TRANSFORM_LABELS[t]}
                  </option>
                ))}
              </select>
              <FieldError id={`${id}-transform-error`} message={errors.transform} />
            </div>
          </div>
        ) : (
          <div className="field-row">
            <PickField
              label="Job"
              value={form.job}
              options={jobNames}
              loading={jobs.isPending}
              error={errors.job}
              addTo="/jobs/new"
              onChange={(job) => set({ job })}
            />
            <span className="muted field-aside">
              or <Link to="/jobs/new">create a job</Link> first
            </span>
          </div>
        )}
        <NameField
          value={form.name}
          error={errors.name}
          onChange={(name) => {
            edited();
            setNameTouched(true);
            editor.setForm((prev) => ({ ...prev, name }));
          }}
          warn={renamingElt}
          hint={
            renamingElt
              ? `The name is this schedule's state ID: renamed, its next run will not find the Singer state saved under '${base?.form.name}' and starts over, and its past runs stay under the old name.`
              : base
                ? null
                : 'Also the state ID of an ELT schedule, and the name used by meltano schedule run.'
          }
        />
        <CronEditor
          value={form.interval}
          error={errors.interval}
          onChange={(interval) => set({ interval })}
        />
        <EnvEditor rows={form.env} error={errors.env} onChange={(env) => set({ env })} />
        {latest?.start_date ? (
          <p className="muted">
            <code>start_date: {latest.start_date}</code> is kept as it is.
          </p>
        ) : null}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!permission.allowed || mutation.isPending}>
          {mutation.isPending ? 'Saving…' : base ? 'Save schedule' : 'Create schedule'}
        </button>
        <Link to={base ? `/schedules/${encodeURIComponent(base.form.name)}` : '/'}>Cancel</Link>
        {base && latest ? (
          <span className="form-actions-end">
            <DeletePipelineButton
              target={{
                kind: 'schedule',
                name: base.form.name,
                // What is on disk now (the page re-reads it): deleting does not depend on the form.
                version: latest.version,
                source_file: latest.source_file,
                state_ids: latest.state_ids,
                run_count: latest.totals.total,
                used_by: [],
                job: latest.job,
              }}
              onDeleted={() => void navigate('/')}
            />
          </span>
        ) : null}
      </div>
    </form>
  );
}
