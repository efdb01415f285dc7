import { useId, useState } from 'react';
import { lineDiff } from '../../lib/line-diff';
import { useMergeState } from './api/merge-state';
import { useSetState } from './api/set-state';
import type { SingerStateInput } from './api/state-edit';

export type StateEditMode = 'set' | 'merge';

const TEMPLATE = '{\n  "singer_state": {\n    "bookmarks": {}\n  }\n}';

/** Parses the typed state; the message says what Meltano would refuse. */
function checkState(text: string): { state: SingerStateInput } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `Not valid JSON: ${(err as Error).message}` };
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) return { error: 'The state must be a JSON object.' };
  if (!('singer_state' in value)) return { error: 'A top-level "singer_state" object is required.' };
  if (!isObject(value.singer_state)) return { error: '"singer_state" must be an object.' };
  return { state: value as SingerStateInput };
}

/**
 * Edit (set) or merge a state ID's Singer state: a JSON textarea checked as you type, then a review
 * step (the diff against the current state for a set) before anything is written.
 */
export function StateEditor({
  stateId,
  mode,
  current,
  onDone,
  onCancel,
}: {
  stateId: string;
  mode: StateEditMode;
  /** The state the next run resumes from now (merged), or null when none is stored. */
  current: unknown;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const currentText = current === null ? '' : JSON.stringify(current, null, 2);
  const [text, setText] = useState(mode === 'set' && currentText !== '' ? currentText : TEMPLATE);
  const [reviewing, setReviewing] = useState(false);
  const set = useSetState(stateId);
  const merge = useMergeState(stateId);
  const mutation = mode === 'set' ? set : merge;
  const checked = checkState(text);
  const error = 'error' in checked ? checked.error : null;
  const save = () => {
    if (!('state' in checked)) return;
    mutation.mutate(
      { text, state: checked.state },
      { onSuccess: (done) => onDone(done.output ? `${done.message}\n${done.output}` : done.message) },
    );
  };
  const verb = mode === 'set' ? 'Set state' : 'Merge state';

  return (
    <form
      className="state-editor"
      aria-label={`${verb} of ${stateId}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!reviewing) setReviewing(error === null);
        else save();
      }}
    >
      {reviewing && 'state' in checked ? (
        <>
          <h4>{mode === 'set' ? 'Changes to the state' : 'State to merge'}</h4>
          <p className="muted">
            {mode === 'set' ? (
              <>
                The state is replaced by this one (<code>meltano state set</code>); the next run resumes from
                it.
              </>
            ) : (
              <>
                Merged onto the partial state key by key, lists replaced; the completed state is kept (
                <code>meltano state merge</code>).
              </>
            )}
          </p>
          {mode === 'set' ? (
            <StateDiff before={currentText} after={JSON.stringify(checked.state, null, 2)} />
          ) : (
            <pre className="json">{JSON.stringify(checked.state, null, 2)}</pre>
          )}
        </>
      ) : (
        <>
          <label htmlFor={`${id}-json`}>
            {mode === 'set' ? 'New state (JSON)' : 'State to merge (JSON)'}
          </label>
          <textarea
            id={`${id}-json`}
            className="mono"
            rows={Math.min(20, Math.max(6, text.split('\n').length + 1))}
            spellCheck={false}
            value={text}
            aria-invalid={error !== null}
            aria-describedby={`${id}-check`}
            onChange={(e) => setText(e.target.value)}
          />
          <p id={`${id}-check`} className={error ? 'field-error' : 'muted'}>
            {error ?? 'Valid: a top-level "singer_state" object.'}
          </p>
        </>
      )}
      {mutation.isError ? (
        <p role="alert" className="inline-error">
          {mutation.error.message}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={error !== null || mutation.isPending}>
          {!reviewing ? 'Review changes' : mutation.isPending ? 'Saving…' : verb}
        </button>
        {reviewing ? (
          <button type="button" onClick={() => setReviewing(false)}>
            Back to editing
          </button>
        ) : null}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function StateDiff({ before, after }: { before: string; after: string }) {
  const lines = lineDiff(before, after);
  if (lines.every((l) => l.kind === 'same')) return <p className="muted">No change to the state.</p>;
  const mark = { same: ' ', added: '+', removed: '-' } as const;
  return (
    <pre className="json state-diff">
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed diff, never reordered.
        <span key={i} className={`diff-${line.kind}`}>
          {line.kind === 'same' ? null : <span className="sr-only">{line.kind} </span>}
          {`${mark[line.kind]} ${line.text}`}
        </span>
      ))}
    </pre>
  );
}
