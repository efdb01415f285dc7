import { Plus } from 'lucide-react';
import { useRef, useState } from 'react';
import { usePermission } from '../../../api/get-identity';
import { ConfirmDialog, useConfirmDialog } from '../../../components/confirm-dialog';
import { Empty } from '../../../components/states';
import type { NotificationChannel, NotificationRule } from '../../../lib/api-types';
import { counted } from '../../../lib/format';
import { useDeleteChannel } from '../api/delete-channel';
import { useTestChannel } from '../api/test-channel';
import { KIND_LABELS, secretIsSet } from '../model/channel-form';
import { testOutcome } from '../model/delivery-view';
import { ChannelFormView } from './channel-form';
import { useReturnFocus } from './field';

function SecretCell({ channel }: { channel: NotificationChannel }) {
  if (!channel.secret_readable)
    return (
      <span className="warn-text">
        Secrets unreadable (ui.secret_key changed): edit the channel and enter them again
      </span>
    );
  if (channel.kind === 'webhook' && !secretIsSet(channel, 'secret'))
    return <span className="muted">no signing secret: requests go unsigned</span>;
  if (channel.kind === 'email' && !secretIsSet(channel, 'password'))
    return <span className="muted">no password</span>;
  return <span className="secret-set">secret set</span>;
}

type TestMutation = ReturnType<typeof useTestChannel>;

function TestButton({
  channel,
  test,
  refusal,
}: {
  channel: NotificationChannel;
  test: TestMutation;
  refusal: string | null;
}) {
  return (
    <button
      type="button"
      disabled={refusal !== null || test.isPending}
      title={refusal ?? `Send a test message through ${channel.name} now`}
      aria-label={`Send test through ${channel.name}`}
      onClick={() => test.mutate(channel.id)}
    >
      {test.isPending ? 'Sending…' : 'Send test'}
    </button>
  );
}

/** How the last "Send test" went: delivered, or the error the API reports. */
function TestOutcome({ test }: { test: TestMutation }) {
  const outcome = test.data ? testOutcome(test.data) : null;
  return (
    <div role="status" className="test-outcome">
      {test.isError ? (
        <span className="inline-error">Not sent: {test.error.message}</span>
      ) : outcome ? (
        <span className={outcome.ok ? 'ok-text' : 'inline-error'}>{outcome.text}</span>
      ) : null}
    </div>
  );
}

function DeleteChannelButton({
  channel,
  rules,
  refusal,
}: {
  channel: NotificationChannel;
  rules: number;
  refusal: string | null;
}) {
  const remove = useDeleteChannel();
  const confirm = useConfirmDialog();
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={refusal !== null}
        title={refusal ?? `Delete channel ${channel.name}`}
        aria-label={`Delete channel ${channel.name}`}
        onClick={() => {
          remove.reset();
          confirm.open();
        }}
      >
        Delete
      </button>
      <ConfirmDialog
        control={confirm}
        title={`Delete channel ${channel.name}?`}
        confirmLabel="Delete channel"
        pendingLabel="Deleting…"
        danger
        pending={remove.isPending}
        error={remove.isError ? `Not deleted: ${remove.error.message}` : null}
        onConfirm={() => remove.mutate(channel.id, { onSuccess: confirm.close })}
      >
        <ul className="consequences">
          <li>
            {rules === 0
              ? 'No rule sends to it.'
              : `Its ${counted(rules, 'rule')} ${rules === 1 ? 'is' : 'are'} deleted with it: those events are no longer sent anywhere.`}
          </li>
          <li>Its stored secrets are deleted; deliveries already logged stay in the log.</li>
        </ul>
      </ConfirmDialog>
    </>
  );
}

function ChannelRow({
  channel,
  rules,
  refusal,
}: {
  channel: NotificationChannel;
  rules: number;
  refusal: string | null;
}) {
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  useReturnFocus(editing, editButton);
  const test = useTestChannel();
  return (
    <>
      <tr>
        <th scope="row">{channel.name}</th>
        <td data-label="Kind">{KIND_LABELS[channel.kind]}</td>
        <td data-label="Sends to" className="channel-target">
          <code>{channel.target}</code>
        </td>
        <td data-label="Secrets">
          <SecretCell channel={channel} />
        </td>
        <td data-label="Rules">{rules}</td>
        <td className="channel-actions">
          <div className="row-actions">
            <TestButton channel={channel} test={test} refusal={refusal} />
            <button
              ref={editButton}
              type="button"
              disabled={refusal !== null || editing}
              title={refusal ?? `Edit channel ${channel.name}`}
              aria-label={`Edit channel ${channel.name}`}
              aria-expanded={editing}
              onClick={() => setEditing(true)}
            >
              Edit
            </button>
            <DeleteChannelButton channel={channel} rules={rules} refusal={refusal} />
          </div>
          <TestOutcome test={test} />
        </td>
      </tr>
      {editing ? (
        <tr className="edit-row">
          <td colSpan={6}>
            <ChannelFormView channel={channel} onDone={() => setEditing(false)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** The channels: where notifications go, what each points at (never its secrets), and a test button. */
export function ChannelsSection({
  channels,
  rules,
}: {
  channels: NotificationChannel[];
  rules: NotificationRule[];
}) {
  const manage = usePermission('manage_users');
  const refusal = manage.allowed ? null : manage.reason;
  const [adding, setAdding] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);
  useReturnFocus(adding, addButton);
  return (
    <section aria-labelledby="channels-heading">
      <div className="section-head">
        <h3 id="channels-heading">Channels</h3>
        <span className="muted">Where notifications go: a webhook, Slack, or email</span>
        {adding ? null : (
          <button
            ref={addButton}
            type="button"
            className="section-action"
            disabled={refusal !== null}
            title={refusal ?? undefined}
            onClick={() => setAdding(true)}
          >
            <Plus size={16} aria-hidden="true" /> Add a channel
          </button>
        )}
      </div>
      {adding ? <ChannelFormView onDone={() => setAdding(false)} /> : null}
      {channels.length === 0 ? (
        <Empty>No channels yet — add one to be told when a run fails.</Empty>
      ) : (
        <div className="table-scroll">
          <table className="data notify-table">
            <caption className="sr-only">Notification channels</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Sends to</th>
                <th scope="col">Secrets</th>
                <th scope="col">Rules</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {channels.map((c) => (
                <ChannelRow
                  key={c.id}
                  channel={c}
                  rules={rules.filter((r) => r.channel_id === c.id).length}
                  refusal={refusal}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
