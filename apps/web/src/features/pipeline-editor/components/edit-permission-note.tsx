import type { Permission } from '../../../lib/api-types';

/** Why the form cannot be saved here (read-only modes, role), in the server's words. */
export function EditPermissionNote({ permission }: { permission: Permission }) {
  if (permission.allowed) return null;
  return (
    <p role="note" className="notice">
      <strong>Editing is not available.</strong> {permission.reason ?? 'You may not change this project.'}
    </p>
  );
}
