import { useWorkspaces } from './api/get-workspaces';

/** The other stages of this project (ui.workspaces), as links in the header; nothing when none are set. */
export function WorkspaceMenu() {
  const list = useWorkspaces().data;
  if (!list || list.workspaces.length === 0) return null;
  return (
    <details className="workspace-menu">
      <summary>Workspace{list.branch ? `: ${list.branch}` : ''}</summary>
      <ul>
        {list.workspaces.map((w) => (
          <li key={w.name}>
            <a href={w.url}>
              {w.name} <span className="muted">({w.branch})</span>
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
