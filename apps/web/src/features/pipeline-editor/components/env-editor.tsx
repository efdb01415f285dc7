import { useId } from 'react';
import { type EnvRow, envRowErrors, newEnvRow, REDACTED } from '../model/env-rows';
import { describedBy, FieldError } from './field-error';

/** The schedule's `env:` as name/value rows; a secret shown as (redacted) is kept unless retyped. */
export function EnvEditor({
  rows,
  onChange,
  error,
}: {
  rows: EnvRow[];
  onChange: (rows: EnvRow[]) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const rowErrors = envRowErrors(rows);
  const update = (rowId: number, change: Partial<EnvRow>) =>
    onChange(rows.map((r) => (r.id === rowId ? { ...r, ...change } : r)));
  const hasRedacted = rows.some((r) => r.value === REDACTED);
  return (
    <fieldset className="env-editor">
      <legend>Environment variables</legend>
      <p className="muted hint">
        Set for the run's process (<code>env:</code> in meltano.yml), e.g. <code>MELTANO_ENVIRONMENT</code>.
      </p>
      {rows.length === 0 ? <p className="muted">None.</p> : null}
      {rows.map((row, i) => {
        const label = row.key.trim() || `variable ${i + 1}`;
        const rowError = rowErrors.get(row.id);
        const errorId = `${id}-${row.id}-error`;
        return (
          <div key={row.id} className="env-row">
            <input
              aria-label={`Name of ${label}`}
              className="mono"
              value={row.key}
              placeholder="NAME"
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => update(row.id, { key: e.target.value })}
              {...describedBy(errorId, rowError)}
            />
            <span aria-hidden="true">=</span>
            <input
              aria-label={`Value of ${label}`}
              className="mono"
              value={row.value}
              placeholder="value"
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => update(row.id, { value: e.target.value })}
            />
            <button
              type="button"
              className="link-button danger"
              aria-label={`Remove ${label}`}
              onClick={() => onChange(rows.filter((r) => r.id !== row.id))}
            >
              Remove
            </button>
            <FieldError id={errorId} message={rowError} />
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...rows, newEnvRow()])}>
        Add variable
      </button>
      {hasRedacted ? (
        <p className="muted hint">
          Values shown as <code>{REDACTED}</code> are secrets: left as they are, the value in the file is
          kept.
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </fieldset>
  );
}
