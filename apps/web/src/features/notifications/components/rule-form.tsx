import { type FormEvent, useId, useRef, useState } from 'react';
import type { NotificationChannel, NotificationRule } from '../../../lib/api-types';
import { useCreateRule } from '../api/create-rule';
import { usePipelineNames } from '../api/get-pipeline-names';
import { useUpdateRule } from '../api/update-rule';
import { fieldMessage, type SaveProblem, saveProblem } from '../model/api-field';
import { KIND_LABELS } from '../model/channel-form';
import {
  createRuleBody,
  EVENT_HINTS,
  EVENT_LABELS,
  EVENTS,
  emptyRuleForm,
  type RuleForm,
  ruleForm,
  ruleFormErrors,
  rulePatchBody,
  toggled,
} from '../model/rule-form';
import { GroupError, useFocusFault, useFocusOnOpen } from './field';

/** The pipelines a rule may name: the project's, and any the rule names that the project lost. */
function PipelinePicker({
  form,
  set,
  error,
  errorId,
}: {
  form: RuleForm;
  set: (patch: Partial<RuleForm>) => void;
  error: string | undefined;
  errorId: string;
}) {
  const names = usePipelineNames();
  const id = useId();
  const known = names.data ?? [];
  const lost = form.pipelines.filter((p) => !known.includes(p));
  const choices = [...known, ...lost];
  return (
    <fieldset
      className="pipeline-scope"
      {...(error ? { 'data-invalid': true, 'aria-describedby': errorId } : {})}
    >
      <legend>Pipelines</legend>
      <label className="check">
        <input
          type="radio"
          name={`${id}-scope`}
          checked={form.scope === 'all'}
          onChange={() => set({ scope: 'all' })}
        />
        <span>
          All pipelines <span className="muted">(those added later too)</span>
        </span>
      </label>
      <label className="check">
        <input
          type="radio"
          name={`${id}-scope`}
          checked={form.scope === 'some'}
          onChange={() => set({ scope: 'some' })}
        />
        Only these schedules and jobs
      </label>
      {form.scope === 'some' ? (
        names.isPending ? (
          <p className="muted">Loading the project's schedules and jobs…</p>
        ) : names.isError ? (
          <p className="inline-error">Could not load the schedules and jobs: {names.error.message}</p>
        ) : choices.length === 0 ? (
          <p className="muted">The project has no schedules or jobs yet.</p>
        ) : (
          <ul className="pipeline-choices" aria-label="Pipelines to notify about">
            {choices.map((name) => (
              <li key={name}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={form.pipelines.includes(name)}
                    onChange={(e) =>
                      set({ pipelines: toggled(form.pipelines, name, e.target.checked, choices) })
                    }
                  />
                  <span>
                    <code>{name}</code>
                    {lost.includes(name) ? <span className="warn-text"> not in the project</span> : null}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )
      ) : null}
      <GroupError id={errorId} message={error} />
    </fieldset>
  );
}

/** Adds a rule, or edits one (`rule`: its channel is fixed then, as the API keeps it). */
export function RuleFormView({
  channels,
  rule,
  onDone,
}: {
  channels: NotificationChannel[];
  rule?: NotificationRule;
  onDone: () => void;
}) {
  const [form, setForm] = useState<RuleForm>(() =>
    rule ? ruleForm(rule) : emptyRuleForm(channels.length === 1 ? channels[0]?.id : ''),
  );
  const [attempt, setAttempt] = useState(0);
  const [problem, setProblem] = useState<SaveProblem | null>(null);
  const create = useCreateRule();
  const update = useUpdateRule();
  const pending = create.isPending || update.isPending;
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  useFocusOnOpen(formRef);
  useFocusFault(formRef, attempt);
  useFocusFault(formRef, problem);
  const local = attempt > 0 ? ruleFormErrors(form) : {};
  const error = (field: string) => fieldMessage(field, local, problem);
  const set = (patch: Partial<RuleForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setProblem(null);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setAttempt((n) => n + 1);
    if (Object.keys(ruleFormErrors(form)).length > 0) return;
    const done = {
      onSuccess: onDone,
      onError: (err: Error) => setProblem(saveProblem(err)),
    };
    if (rule) update.mutate({ id: rule.id, patch: rulePatchBody(form) }, done);
    else create.mutate(createRuleBody(form), done);
  };

  const channelError = error('channel_id');
  const eventsError = error('events');
  const channelName = channels.find((c) => c.id === form.channelId)?.name ?? 'a removed channel';
  return (
    <form
      ref={formRef}
      className="editor notification-form"
      aria-label={rule ? `Edit the rule for ${channelName}` : 'Add a rule'}
      noValidate
      onSubmit={submit}
    >
      {rule ? (
        <p>
          Sends to <strong>{channelName}</strong>
        </p>
      ) : (
        <div className="field">
          <label htmlFor={`${id}-channel`}>Channel</label>
          <select
            id={`${id}-channel`}
            required
            value={form.channelId}
            onChange={(e) => set({ channelId: e.target.value })}
            {...(channelError ? { 'aria-invalid': true, 'aria-describedby': `${id}-channel-error` } : {})}
          >
            <option value="">Choose a channel…</option>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({KIND_LABELS[c.kind]})
              </option>
            ))}
          </select>
          <GroupError id={`${id}-channel-error`} message={channelError} />
        </div>
      )}
      <fieldset
        className="event-choices"
        {...(eventsError ? { 'data-invalid': true, 'aria-describedby': `${id}-events-error` } : {})}
      >
        <legend>Events</legend>
        {EVENTS.map((event) => (
          <label key={event} className="check">
            <input
              type="checkbox"
              checked={form.events.includes(event)}
              onChange={(e) => set({ events: toggled(form.events, event, e.target.checked, EVENTS) })}
            />
            <span>
              {EVENT_LABELS[event]} <span className="muted">— {EVENT_HINTS[event]}</span>
            </span>
          </label>
        ))}
        <GroupError id={`${id}-events-error`} message={eventsError} />
      </fieldset>
      <PipelinePicker form={form} set={set} error={error('pipelines')} errorId={`${id}-pipelines-error`} />
      <label className="check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        <span>
          On <span className="muted">(off: kept, but sends nothing)</span>
        </span>
      </label>
      {problem && problem.field === null ? (
        <p role="alert" className="inline-error">
          Not saved: {problem.message}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Saving…' : rule ? 'Save rule' : 'Add rule'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
