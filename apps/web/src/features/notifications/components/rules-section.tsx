import { Plus } from 'lucide-react';
import { useRef, useState } from 'react';
import { usePermission } from '../../../api/get-identity';
import { ConfirmDialog, useConfirmDialog } from '../../../components/confirm-dialog';
import { Empty } from '../../../components/states';
import type { NotificationChannel, NotificationRule } from '../../../lib/api-types';
import { useDeleteRule } from '../api/delete-rule';
import { EVENT_LABELS } from '../model/rule-form';
import { useReturnFocus } from './field';
import { RuleFormView } from './rule-form';

function DeleteRuleButton({
  rule,
  channelName,
  refusal,
}: {
  rule: NotificationRule;
  channelName: string;
  refusal: string | null;
}) {
  const remove = useDeleteRule();
  const confirm = useConfirmDialog();
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={refusal !== null}
        title={refusal ?? `Delete this rule for ${channelName}`}
        aria-label={`Delete the rule for ${channelName}`}
        onClick={() => {
          remove.reset();
          confirm.open();
        }}
      >
        Delete
      </button>
      <ConfirmDialog
        control={confirm}
        title={`Delete the rule for ${channelName}?`}
        confirmLabel="Delete rule"
        pendingLabel="Deleting…"
        danger
        pending={remove.isPending}
        error={remove.isError ? `Not deleted: ${remove.error.message}` : null}
        onConfirm={() => remove.mutate(rule.id, { onSuccess: confirm.close })}
      >
        <ul className="consequences">
          <li>
            {rule.events.map((e) => EVENT_LABELS[e].toLowerCase()).join(', ')} of{' '}
            {rule.pipelines === null ? 'every pipeline' : rule.pipelines.join(', ')} will no longer be sent to{' '}
            {channelName}.
          </li>
          <li>The channel stays, and so do deliveries already logged.</li>
        </ul>
      </ConfirmDialog>
    </>
  );
}

function RuleRow({
  rule,
  channels,
  refusal,
}: {
  rule: NotificationRule;
  channels: NotificationChannel[];
  refusal: string | null;
}) {
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  useReturnFocus(editing, editButton);
  const channelName = channels.find((c) => c.id === rule.channel_id)?.name ?? 'a removed channel';
  return (
    <>
      <tr>
        <th scope="row">{channelName}</th>
        <td data-label="Events">
          <ul className="tag-list" aria-label="Events">
            {rule.events.map((e) => (
              <li key={e} className="tag">
                {EVENT_LABELS[e]}
              </li>
            ))}
          </ul>
        </td>
        <td data-label="Pipelines" className="rule-pipelines">
          {rule.pipelines === null ? (
            <span className="muted">All pipelines</span>
          ) : (
            rule.pipelines.map((p, i) => (
              <span key={p}>
                {i > 0 ? ', ' : ''}
                <code>{p}</code>
              </span>
            ))
          )}
        </td>
        <td data-label="State">{rule.enabled ? 'On' : <span className="muted">Off</span>}</td>
        <td className="rule-actions">
          <div className="row-actions">
            <button
              ref={editButton}
              type="button"
              disabled={refusal !== null || editing}
              title={refusal ?? `Edit the rule for ${channelName}`}
              aria-label={`Edit the rule for ${channelName}`}
              aria-expanded={editing}
              onClick={() => setEditing(true)}
            >
              Edit
            </button>
            <DeleteRuleButton rule={rule} channelName={channelName} refusal={refusal} />
          </div>
        </td>
      </tr>
      {editing ? (
        <tr className="edit-row">
          <td colSpan={5}>
            <RuleFormView channels={channels} rule={rule} onDone={() => setEditing(false)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** The rules: which events of which pipelines go to which channel. */
export function RulesSection({
  rules,
  channels,
}: {
  rules: NotificationRule[];
  channels: NotificationChannel[];
}) {
  const manage = usePermission('manage_users');
  const refusal = manage.allowed ? null : manage.reason;
  const [adding, setAdding] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);
  useReturnFocus(adding, addButton);
  const blocked = refusal ?? (channels.length === 0 ? 'Add a channel first: a rule sends to one' : null);
  return (
    <section aria-labelledby="rules-heading">
      <div className="section-head">
        <h3 id="rules-heading">Rules</h3>
        <span className="muted">Which events of which pipelines go to which channel</span>
        {adding ? null : (
          <button
            ref={addButton}
            type="button"
            className="section-action"
            disabled={blocked !== null}
            title={blocked ?? undefined}
            onClick={() => setAdding(true)}
          >
            <Plus size={16} aria-hidden="true" /> Add a rule
          </button>
        )}
      </div>
      {adding ? <RuleFormView channels={channels} onDone={() => setAdding(false)} /> : null}
      {rules.length === 0 ? (
        <Empty>
          No rules yet — {channels.length === 0 ? 'add a channel, then ' : ''}add a rule to choose which
          events (a failed run, a run presumed dead, a late schedule…) are sent where.
        </Empty>
      ) : (
        <div className="table-scroll">
          <table className="data notify-table">
            <caption className="sr-only">Notification rules</caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Events</th>
                <th scope="col">Pipelines</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rules.map((r) => (
                <RuleRow key={r.id} rule={r} channels={channels} refusal={refusal} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
