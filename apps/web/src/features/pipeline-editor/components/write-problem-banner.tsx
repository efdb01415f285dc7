import type { WriteProblem } from '../model/write-error';

/**
 * A failed save that is not about one field: the entity changed on disk (offer to reload it, which
 * replaces the edits made here), the server refused (read-only, role), or anything else.
 */
export function WriteProblemBanner({
  problem,
  what,
  onReload,
}: {
  problem: WriteProblem | null;
  what: string;
  onReload?: () => void;
}) {
  if (!problem) return null;
  if (problem.kind === 'changed') {
    return (
      <div role="alert" className="error">
        <strong>Not saved: {what} was changed on disk</strong> since this form was filled (someone edited
        meltano.yml, or used the CLI or another tab). {problem.message}
        {onReload ? (
          <div className="form-actions">
            <button type="button" onClick={onReload}>
              Reload {what} (discards the changes made here)
            </button>
          </div>
        ) : null}
      </div>
    );
  }
  return (
    <div role="alert" className="error">
      <strong>{problem.kind === 'refused' ? 'Not allowed' : 'Not saved'}:</strong> {problem.message}
      {problem.blockers.length > 0 ? <> ({problem.blockers.join(', ')})</> : null}
    </div>
  );
}

/** Shown when what the form was filled from has changed on disk since, before anyone presses Save. */
export function ChangedOnDiskNote({ what, onReload }: { what: string; onReload: () => void }) {
  return (
    <div role="status" className="notice">
      {what} has changed on disk since this form was filled. Saving now would be refused.{' '}
      <button type="button" className="link-button" onClick={onReload}>
        Load the new version
      </button>
    </div>
  );
}
