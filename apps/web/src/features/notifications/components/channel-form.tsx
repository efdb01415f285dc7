import { type FormEvent, useId, useRef, useState } from 'react';
import type { ChannelKind, NotificationChannel } from '../../../lib/api-types';
import { useCreateChannel } from '../api/create-channel';
import { useUpdateChannel } from '../api/update-channel';
import { fieldMessage, type SaveProblem, saveProblem } from '../model/api-field';
import {
  CHANNEL_KINDS,
  type ChannelForm,
  channelForm,
  channelFormErrors,
  channelPatchBody,
  createChannelBody,
  defaultPort,
  emptyChannelForm,
  KIND_LABELS,
  secretIsSet,
} from '../model/channel-form';
import { Field, useFocusFault, useFocusOnOpen } from './field';

const KIND_HINTS: Record<ChannelKind, string> = {
  webhook: 'A JSON POST to your URL, signed with a shared secret',
  slack: 'A message to a Slack (or Mattermost, Rocket.Chat) incoming webhook',
  email: 'An email through your SMTP server',
};

/**
 * Adds a channel, or edits one (`channel`): its kind is fixed then, and a secret left empty keeps the
 * stored one. Errors are shown next to the field they are about, the server's included.
 */
export function ChannelFormView({ channel, onDone }: { channel?: NotificationChannel; onDone: () => void }) {
  const editing = channel !== undefined;
  const [form, setForm] = useState<ChannelForm>(() => (channel ? channelForm(channel) : emptyChannelForm()));
  // Each save attempt; the form's own checks show from the first one on.
  const [attempt, setAttempt] = useState(0);
  const [problem, setProblem] = useState<SaveProblem | null>(null);
  const create = useCreateChannel();
  const update = useUpdateChannel();
  const pending = create.isPending || update.isPending;
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  useFocusOnOpen(formRef);
  useFocusFault(formRef, attempt);
  useFocusFault(formRef, problem);
  const local = attempt > 0 ? channelFormErrors(form, editing) : {};
  const error = (field: string) => fieldMessage(field, local, problem);
  const set = (patch: Partial<ChannelForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    // The server's complaint about a field goes once that field is changed.
    if (problem?.field && problem.field in patch) setProblem(null);
  };
  const isSet = (field: 'url' | 'secret' | 'password') =>
    channel !== undefined && secretIsSet(channel, field);
  const keepHint = (field: 'url' | 'secret' | 'password', what: string) =>
    isSet(field) ? `${what} is set and never shown: leave this empty to keep it.` : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setAttempt((n) => n + 1);
    if (Object.keys(channelFormErrors(form, editing)).length > 0) return;
    const done = {
      onSuccess: onDone,
      onError: (err: Error) => setProblem(saveProblem(err)),
    };
    if (channel) update.mutate({ id: channel.id, patch: channelPatchBody(form) }, done);
    else create.mutate(createChannelBody(form), done);
  };

  const label = editing ? `Edit channel ${channel.name}` : 'Add a channel';
  return (
    <form ref={formRef} className="editor notification-form" aria-label={label} noValidate onSubmit={submit}>
      {editing ? null : (
        <fieldset className="choice">
          <legend>Kind</legend>
          {CHANNEL_KINDS.map((kind) => (
            <label key={kind} className="check">
              <input
                type="radio"
                name={`${id}-kind`}
                value={kind}
                checked={form.kind === kind}
                onChange={() => {
                  set({ kind });
                  setProblem(null);
                }}
              />
              <span>
                {KIND_LABELS[kind]} <span className="muted">— {KIND_HINTS[kind]}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <Field
        label="Name"
        required
        maxLength={200}
        autoComplete="off"
        value={form.name}
        error={error('name')}
        hint="How the delivery log and the rules call it, e.g. on-call or data-team"
        onChange={(e) => set({ name: e.target.value })}
      />
      {form.kind === 'webhook' ? (
        <>
          <Field
            label="URL"
            type="url"
            required={!editing}
            autoComplete="off"
            spellCheck={false}
            placeholder={isSet('url') ? '(set)' : 'https://example.com/hooks/meltano'}
            value={form.url}
            error={error('url')}
            hint={keepHint('url', 'The URL')}
            onChange={(e) => set({ url: e.target.value })}
          />
          <Field
            label={
              <>
                Signing secret <span className="muted">(optional)</span>
              </>
            }
            type="password"
            autoComplete="new-password"
            placeholder={isSet('secret') ? '(set)' : ''}
            value={form.secret}
            error={error('secret')}
            hint={
              keepHint('secret', 'A secret') ??
              'Signs each request: X-Meltano-UI-Signature is sha256= HMAC of "timestamp.body". Empty: unsigned.'
            }
            onChange={(e) => set({ secret: e.target.value })}
          />
        </>
      ) : null}
      {form.kind === 'slack' ? (
        <Field
          label="Incoming webhook URL"
          type="url"
          required={!editing}
          autoComplete="off"
          spellCheck={false}
          placeholder={isSet('url') ? '(set)' : 'https://hooks.slack.com/services/…'}
          value={form.url}
          error={error('url')}
          hint={keepHint('url', 'The URL (it holds the token)')}
          onChange={(e) => set({ url: e.target.value })}
        />
      ) : null}
      {form.kind === 'email' ? <EmailFields form={form} set={set} error={error} keepHint={keepHint} /> : null}
      {editing && (form.kind === 'webhook' ? isSet('secret') : form.kind === 'email' && isSet('password')) ? (
        <label className="check">
          <input
            type="checkbox"
            checked={form.clearSecret}
            onChange={(e) => set({ clearSecret: e.target.checked })}
          />
          Remove the stored {form.kind === 'webhook' ? 'signing secret (send unsigned)' : 'password'}
        </label>
      ) : null}
      {problem && problem.field === null ? (
        <p role="alert" className="inline-error">
          Not saved: {problem.message}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Saving…' : editing ? 'Save channel' : 'Add channel'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function EmailFields({
  form,
  set,
  error,
  keepHint,
}: {
  form: ChannelForm;
  set: (patch: Partial<ChannelForm>) => void;
  error: (field: string) => string | undefined;
  keepHint: (field: 'password', what: string) => string | undefined;
}) {
  return (
    <>
      <div className="field-row">
        <Field
          label="SMTP server"
          required
          autoComplete="off"
          spellCheck={false}
          placeholder="smtp.example.com"
          value={form.host}
          error={error('host')}
          onChange={(e) => set({ host: e.target.value })}
        />
        <Field
          label="Port"
          inputMode="numeric"
          className="port-input"
          placeholder={String(defaultPort(form.secure))}
          value={form.port}
          error={error('port')}
          onChange={(e) => set({ port: e.target.value })}
        />
      </div>
      <div className="check-group">
        <label className="check">
          <input type="checkbox" checked={form.secure} onChange={(e) => set({ secure: e.target.checked })} />
          TLS from the first byte (SMTPS, usually port 465)
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={form.starttls}
            onChange={(e) => set({ starttls: e.target.checked })}
          />
          Require STARTTLS (refuse to send if the server does not offer it)
        </label>
      </div>
      <div className="field-row">
        <Field
          label={
            <>
              User name <span className="muted">(optional)</span>
            </>
          }
          autoComplete="off"
          value={form.username}
          error={error('username')}
          onChange={(e) => set({ username: e.target.value })}
        />
        <Field
          label={
            <>
              Password <span className="muted">(optional)</span>
            </>
          }
          type="password"
          autoComplete="new-password"
          value={form.password}
          error={error('password')}
          hint={keepHint('password', 'A password')}
          onChange={(e) => set({ password: e.target.value })}
        />
      </div>
      <Field
        label="From"
        required
        autoComplete="off"
        placeholder="meltano@example.com"
        value={form.from}
        error={error('from')}
        onChange={(e) => set({ from: e.target.value })}
      />
      <Field
        label="To"
        required
        autoComplete="off"
        placeholder="oncall@example.com, data-team@example.com"
        value={form.to}
        error={error('to')}
        hint="One or several addresses, separated by commas"
        onChange={(e) => set({ to: e.target.value })}
      />
    </>
  );
}
