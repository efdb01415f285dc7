import { useId, useState } from 'react';
import { usePermission } from '../../api/get-identity';
import { ConfirmDialog, useConfirmDialog } from '../../components/confirm-dialog';
import type { Environment } from '../../lib/api-types';
import { useCreateEnvironment } from './api/create-environment';
import { useDeleteEnvironment } from './api/delete-environment';

/** Add an environment (to meltano.yml): a name; its overrides are edited on its card. */
export function NewEnvironmentForm() {
  const permission = usePermission('edit_project');
  const create = useCreateEnvironment();
  const [name, setName] = useState('');
  const id = useId();
  return (
    <form
      className="environment-picker"
      aria-label="New environment"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name: name.trim() }, { onSuccess: () => setName('') });
      }}
    >
      <label htmlFor={id}>New environment</label>
      <input
        id={id}
        value={name}
        onChange={(e) => setName(e.target.value)}
        disabled={!permission.allowed}
        title={permission.reason ?? undefined}
        required
      />
      <button
        type="submit"
        disabled={!permission.allowed || create.isPending}
        title={permission.reason ?? undefined}
      >
        Add environment
      </button>
      {!permission.allowed ? <span className="muted">{permission.reason}</span> : null}
      {create.isError ? (
        <span role="alert" className="inline-error">
          Not added: {create.error.message}
        </span>
      ) : null}
      {create.isSuccess ? (
        <span role="status">
          Added {create.data.name} to {create.data.source_file}.
        </span>
      ) : null}
    </form>
  );
}

/** Delete, after a confirmation; the default and the active environment cannot be deleted (the reason is shown). */
export function DeleteEnvironmentButton({
  environment: e,
  blockedBy,
}: {
  environment: Environment;
  /** Why it cannot be deleted (default_environment, active), or null. */
  blockedBy: string | null;
}) {
  const permission = usePermission('edit_project');
  const remove = useDeleteEnvironment();
  const confirm = useConfirmDialog();
  const reason = permission.allowed ? blockedBy : permission.reason;
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={reason !== null}
        title={reason ?? `Delete environment ${e.name}`}
        onClick={() => {
          remove.reset();
          confirm.open();
        }}
      >
        Delete
      </button>
      <ConfirmDialog
        control={confirm}
        title={`Delete environment ${e.name}?`}
        confirmLabel="Delete environment"
        pendingLabel="Deleting…"
        danger
        pending={remove.isPending}
        error={remove.isError ? `Not deleted: ${remove.error.message}` : null}
        onConfirm={() => remove.mutate({ name: e.name, version: e.version }, { onSuccess: confirm.close })}
      >
        <ul className="consequences">
          <li>
            It is removed from <code>{e.source_file}</code> with its overrides; nothing else in the file
            changes.
          </li>
          <li>Runs recorded under it, their logs and their Singer state stay in the system database.</li>
        </ul>
      </ConfirmDialog>
    </>
  );
}
