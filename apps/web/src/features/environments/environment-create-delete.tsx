import { useId, useRef, useState } from 'react';
import { usePermission } from '../../api/get-identity';
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
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [open, setOpen] = useState(false);
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
          setOpen(true);
          dialog.current?.showModal();
        }}
      >
        Delete
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="confirm-dialog"
        onClose={() => setOpen(false)}
      >
        {open ? (
          <>
            <h2 id={titleId}>Delete environment {e.name}?</h2>
            <ul className="consequences">
              <li>
                It is removed from <code>{e.source_file}</code> with its overrides; nothing else in the file
                changes.
              </li>
              <li>Runs recorded under it, their logs and their Singer state stay in the system database.</li>
            </ul>
            {remove.isError ? (
              <p role="alert" className="inline-error">
                Not deleted: {remove.error.message}
              </p>
            ) : null}
            <div className="form-actions">
              <button
                type="button"
                className="danger"
                disabled={remove.isPending}
                onClick={() =>
                  remove.mutate(
                    { name: e.name, version: e.version },
                    { onSuccess: () => dialog.current?.close() },
                  )
                }
              >
                {remove.isPending ? 'Deleting…' : 'Delete environment'}
              </button>
              <button type="button" onClick={() => dialog.current?.close()}>
                Cancel
              </button>
            </div>
          </>
        ) : null}
      </dialog>
    </>
  );
}
