import { Link, useNavigate } from 'react-router';
import { usePermission } from '../../api/get-identity';
import { DeletePipelineButton, type DeleteTarget } from './delete-pipeline-dialog';
import { entityPath } from './pipeline-queries';

/**
 * Edit and Delete for a schedule or job page. When the server would refuse (read-only project, role),
 * both are disabled and the server's reason is shown beside them.
 */
export function PipelineEditActions({ target }: { target: DeleteTarget }) {
  const permission = usePermission('edit_project');
  const navigate = useNavigate();
  return (
    <span className="edit-actions">
      {permission.allowed ? (
        <Link className="button" to={`${entityPath(target.kind, target.name)}/edit`}>
          Edit
        </Link>
      ) : (
        <button type="button" disabled title={permission.reason ?? undefined}>
          Edit
        </button>
      )}
      <DeletePipelineButton target={target} onDeleted={() => void navigate('/')} />
      <EditNotAllowed />
    </span>
  );
}

/** The server's reason why project files cannot be changed here, next to the disabled controls. */
export function EditNotAllowed() {
  const permission = usePermission('edit_project');
  if (permission.allowed || !permission.reason) return null;
  return <span className="muted edit-refused">{permission.reason}</span>;
}

/** "New schedule" and "New job" for the pipelines page; disabled with the reason when edits are refused. */
export function CreatePipelineLinks() {
  const permission = usePermission('edit_project');
  const links = [
    { to: '/schedules/new', label: 'New schedule' },
    { to: '/jobs/new', label: 'New job' },
  ];
  return (
    <span className="edit-actions create-actions">
      {links.map((l) =>
        permission.allowed ? (
          <Link key={l.to} className="button" to={l.to}>
            {l.label}
          </Link>
        ) : (
          <button key={l.to} type="button" disabled title={permission.reason ?? undefined}>
            {l.label}
          </button>
        ),
      )}
      <EditNotAllowed />
    </span>
  );
}
