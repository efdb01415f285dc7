import { useRef, useState } from 'react';
import { usePermission } from '../../../api/get-identity';
import { ApiError } from '../../../lib/api-client';
import type { Plugin } from '../../../lib/api-types';
import { useRemovePlugin } from '../api/remove-plugin';
import { describeUsers, isInUse, type PluginUsers, usersFromConflict } from '../model/plugin-users';

/**
 * Remove, after a confirmation that names what uses the plugin. Those are removed anyway only when the
 * person confirms with them listed (`force`); a 409 from the server (someone added a user since) shows
 * the users it names and asks again.
 */
export function RemovePluginButton({
  plugin,
  users,
  what,
  onRemoved,
}: {
  plugin: Pick<Plugin, 'type' | 'name' | 'source_file' | 'lock_file'>;
  users: PluginUsers;
  what: string;
  onRemoved?: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const remove = useRemovePlugin();
  const editProject = usePermission('edit_project');
  const [conflict, setConflict] = useState<PluginUsers | null>(null);
  const shown = conflict ?? users;
  const inUse = isInUse(shown);
  const titleId = `remove-${plugin.type}-${plugin.name}`;
  // A promise rather than mutate's callbacks, which are dropped once this button unmounts with its plugin.
  const confirm = () =>
    remove.mutateAsync({ type: plugin.type, name: plugin.name, force: inUse }).then(
      () => {
        dialog.current?.close();
        onRemoved?.();
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.code === 'plugin_in_use')
          setConflict(usersFromConflict(error.details));
      },
    );
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={!editProject.allowed}
        title={
          editProject.allowed
            ? `Remove ${plugin.name} from the project`
            : (editProject.reason ?? 'Not allowed')
        }
        aria-label={`Remove ${plugin.name}`}
        onClick={() => {
          remove.reset();
          setConflict(null);
          dialog.current?.showModal();
        }}
      >
        Remove
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="about remove-dialog">
        <h2 id={titleId}>Remove {plugin.name}?</h2>
        <p>
          The {what} is taken out of <code>{plugin.source_file}</code>
          {plugin.lock_file ? (
            <>
              {' '}
              and its lock file <code>{plugin.lock_file}</code> is deleted
            </>
          ) : null}
          .
        </p>
        {inUse ? (
          <div className="warn-box">
            <p>
              <strong>It is in use.</strong> These will name a plugin that no longer exists until you change
              them:
            </p>
            <ul aria-label={`What uses ${plugin.name}`}>
              {describeUsers(shown).map((u) => (
                <li key={u}>{u}</li>
              ))}
            </ul>
          </div>
        ) : (
          <p>No schedule, job or plugin uses it.</p>
        )}
        <p className="muted">
          {shown.environments.length > 0
            ? `Its overrides in environment ${shown.environments.join(', ')} stay in the project files`
            : 'Overrides of it in environments stay in the project files'}
          , as with <code>meltano remove</code>. Its installation and the values kept in the system database
          are not touched.
        </p>
        {remove.isError && !(remove.error instanceof ApiError && remove.error.code === 'plugin_in_use') ? (
          <p role="alert" className="inline-error">
            {remove.error.message}
          </p>
        ) : null}
        {conflict ? (
          <p role="alert" className="inline-error">
            Something started using it since this page was loaded; the list above is the server’s.
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="button" className="danger" disabled={remove.isPending} onClick={confirm}>
            {remove.isPending
              ? 'Removing…'
              : inUse
                ? `Remove ${plugin.name} anyway`
                : `Remove ${plugin.name}`}
          </button>
        </div>
      </dialog>
    </>
  );
}
