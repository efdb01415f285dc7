import { ErrorState, Loading } from '../../components/states';
import { useStateDetail } from './api/get-state';

/** The Singer state (bookmarks) the next run of a state ID resumes from. */
export function StatePanel({ stateId }: { stateId: string }) {
  const state = useStateDetail(stateId);
  return (
    <details className="state">
      <summary>
        <span className="mono">{stateId}</span>
        {state.data?.updated_at ? (
          // Meltano writes this column in the CLI host's local time, without a zone: shown as written.
          <span className="muted" title="In the local time of the machine that ran Meltano">
            {' '}
            · updated {state.data.updated_at.replace('T', ' ').slice(0, 19)}
          </span>
        ) : null}
      </summary>
      {state.isPending ? (
        <Loading what="state" />
      ) : state.isError ? (
        <ErrorState what="state" error={state.error} />
      ) : state.data === null ? (
        <p className="muted">No state stored: the next run starts from scratch.</p>
      ) : (
        <pre className="json">{JSON.stringify(state.data.merged, null, 2)}</pre>
      )}
    </details>
  );
}
