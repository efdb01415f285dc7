import { Link } from 'react-router';
import { usePermission } from '../../api/get-identity';
import { ApiError } from '../../lib/api-client';
import { ConfirmDialog, useConfirmDialog } from '../confirm-dialog';
import { useDeletePipeline } from './delete-pipeline';
import type { PipelineKind } from './pipeline-queries';

const changedOnDisk = (error: Error) =>
  error instanceof ApiError && error.status === 409 && error.code.endsWith('_changed');

/** What the confirmation says about the entity and what depends on it. */
export interface DeleteTarget {
  kind: PipelineKind;
  name: string;
  version: string;
  source_file: string;
  state_ids: string[];
  run_count: number;
  /** Schedules that run this job (they would be left pointing at nothing, so the server refuses). */
  used_by: string[];
  /** The job a job schedule runs (it stays). */
  job?: string | null;
}

function Consequences({ target }: { target: DeleteTarget }) {
  const runs = target.run_count;
  return (
    <ul className="consequences">
      <li>
        It is removed from <code>{target.source_file}</code>; nothing else in the file changes.
      </li>
      {runs > 0 ? (
        <li>
          Its {runs} recorded run{runs === 1 ? '' : 's'} and their logs stay.
        </li>
      ) : null}
      {target.state_ids.length > 0 ? (
        <li>
          The Singer state stored under{' '}
          {target.state_ids.map((id, i) => (
            <span key={id}>
              {i > 0 ? ', ' : ''}
              <code>{id}</code>
            </span>
          ))}{' '}
          stays in the system database.
        </li>
      ) : null}
      {target.kind === 'schedule' && target.job ? (
        <li>
          The job <code>{target.job}</code> it runs stays.
        </li>
      ) : null}
    </ul>
  );
}

/**
 * Delete, after a confirmation that says what the entity is used by and what stays. A job that
 * schedules run cannot be deleted (Meltano would leave them dangling): the dialog names them instead.
 */
export function DeletePipelineButton({ target, onDeleted }: { target: DeleteTarget; onDeleted: () => void }) {
  const permission = usePermission('edit_project');
  const remove = useDeletePipeline();
  const confirm = useConfirmDialog();
  const what = target.kind === 'job' ? 'job' : 'schedule';
  const blocked = target.used_by.length > 0;
  const one = target.used_by.length === 1;
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={!permission.allowed}
        title={permission.allowed ? `Delete ${what} ${target.name}` : (permission.reason ?? undefined)}
        onClick={() => {
          remove.reset();
          confirm.open();
        }}
      >
        Delete
      </button>
      <ConfirmDialog
        control={confirm}
        title={`Delete ${what} ${target.name}?`}
        confirmLabel={`Delete ${what}`}
        pendingLabel="Deleting…"
        danger
        pending={remove.isPending}
        error={
          remove.isError
            ? `Not deleted: ${remove.error.message}${changedOnDisk(remove.error) ? ' The page now shows the current version: check it, then delete again.' : ''}`
            : null
        }
        onConfirm={
          blocked
            ? undefined
            : () =>
                remove.mutate(
                  { kind: target.kind, name: target.name, version: target.version },
                  {
                    onSuccess: () => {
                      confirm.close();
                      onDeleted();
                    },
                  },
                )
        }
      >
        {blocked ? (
          <p role="alert">
            {one ? 'The schedule ' : 'The schedules '}
            {target.used_by.map((s, i) => (
              <span key={s}>
                {i > 0 ? ', ' : ''}
                <Link to={`/schedules/${encodeURIComponent(s)}`}>{s}</Link>
              </span>
            ))}{' '}
            {one ? 'runs' : 'run'} this job. Delete {one ? 'it' : 'them'} or point {one ? 'it' : 'them'} at
            another job first: Meltano would leave {one ? 'it' : 'them'} running nothing.
          </p>
        ) : (
          <Consequences target={target} />
        )}
      </ConfirmDialog>
    </>
  );
}
