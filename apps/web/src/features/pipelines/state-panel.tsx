import { useId, useState } from 'react';
import { usePermission } from '../../api/get-identity';
import { useStateIds } from '../../api/get-state-ids';
import { ConfirmDialog, useConfirmDialog } from '../../components/confirm-dialog';
import { ErrorState, Loading } from '../../components/states';
import { useClearState } from './api/clear-state';
import { useCopyState } from './api/copy-state';
import { useStateDetail } from './api/get-state';
import { type StateEditMode, StateEditor } from './state-editor';
import './state-panel.css';

/** The Singer state (bookmarks) the next run of a state ID resumes from, and its edits. */
export function StatePanel({ stateId }: { stateId: string }) {
  const state = useStateDetail(stateId);
  const operate = usePermission('operate');
  const [editing, setEditing] = useState<StateEditMode | 'copy' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const clearDialog = useConfirmDialog();
  const clear = useClearState(stateId);
  const done = (message: string) => {
    setEditing(null);
    setNotice(message);
  };
  const current = state.data ? state.data.merged : null;
  const refused = operate.allowed ? undefined : (operate.reason ?? undefined);

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
      {editing === 'set' || editing === 'merge' ? (
        <StateEditor
          stateId={stateId}
          mode={editing}
          current={current}
          onDone={done}
          onCancel={() => setEditing(null)}
        />
      ) : editing === 'copy' ? (
        <CopyStateForm stateId={stateId} onDone={done} onCancel={() => setEditing(null)} />
      ) : state.isSuccess ? (
        <fieldset className="state-actions">
          <legend className="sr-only">Change the state of {stateId}</legend>
          {(['set', 'merge'] as const).map((mode) => (
            <button
              key={mode}
              type="button"
              disabled={!operate.allowed}
              title={refused}
              onClick={() => {
                setNotice(null);
                setEditing(mode);
              }}
            >
              {mode === 'set' ? 'Edit state' : 'Merge into state'}
            </button>
          ))}
          <button
            type="button"
            disabled={!operate.allowed}
            title={refused}
            onClick={() => {
              setNotice(null);
              setEditing('copy');
            }}
          >
            Copy from…
          </button>
          <button
            type="button"
            className="danger"
            disabled={!operate.allowed || state.data === null}
            title={refused ?? (state.data === null ? 'No state stored' : undefined)}
            onClick={() => {
              setNotice(null);
              clear.reset();
              clearDialog.open();
            }}
          >
            Clear state
          </button>
        </fieldset>
      ) : null}
      {notice ? (
        <p role="status" className="state-notice">
          {notice}
        </p>
      ) : null}
      <ConfirmDialog
        control={clearDialog}
        title={`Clear the state of ${stateId}?`}
        confirmLabel="Clear state"
        pendingLabel="Clearing…"
        pending={clear.isPending}
        danger
        error={clear.isError ? clear.error.message : undefined}
        onConfirm={() =>
          clear.mutate(undefined, {
            onSuccess: (result) => {
              clearDialog.close();
              done(result.output ? `${result.message}\n${result.output}` : result.message);
            },
          })
        }
      >
        <p>
          Meltano’s stored bookmarks for <span className="mono">{stateId}</span> are deleted (
          <code>meltano state clear</code>). The next run starts from scratch: a <strong>full extract</strong>{' '}
          of every stream, which can take long and load duplicates into targets that append.
        </p>
      </ConfirmDialog>
    </details>
  );
}

/** `meltano state copy`: this state ID gets another one's state (as `meltano state get` reads it). */
function CopyStateForm({
  stateId,
  onDone,
  onCancel,
}: {
  stateId: string;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const ids = useStateIds();
  const copy = useCopyState(stateId);
  const others = (ids.data ?? []).map((s) => s.state_id).filter((s) => s !== stateId);
  const [from, setFrom] = useState('');
  const chosen = from || others[0] || '';
  return (
    <form
      className="state-editor"
      aria-label={`Copy a state onto ${stateId}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen === '') return;
        copy.mutate(chosen, {
          onSuccess: (done) => onDone(done.output ? `${done.message}\n${done.output}` : done.message),
        });
      }}
    >
      <label htmlFor={`${id}-from`}>Copy the state of</label>
      <select id={`${id}-from`} value={chosen} onChange={(e) => setFrom(e.target.value)}>
        {others.map((other) => (
          <option key={other} value={other}>
            {other}
          </option>
        ))}
      </select>
      <p className="muted">
        It replaces the state of <span className="mono">{stateId}</span>; the next run resumes from the copied
        bookmarks.
      </p>
      {ids.isError ? <ErrorState what="state IDs" error={ids.error} /> : null}
      {copy.isError ? (
        <p role="alert" className="inline-error">
          {copy.error.message}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={chosen === '' || copy.isPending}>
          {copy.isPending ? 'Copying…' : 'Copy state'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
