import { useId } from 'react';
import { Link } from 'react-router';
import { describedBy, FieldError } from './field-error';

export function NameField({
  value,
  onChange,
  error,
  hint,
  warn = false,
  disabledReason,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string | null;
  /** A hint that warns (a rename with consequences) rather than informs. */
  warn?: boolean;
  /** Set when the name cannot change here (a job that schedules run). */
  disabledReason?: string | null;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describe = [error ? errorId : null, hint || disabledReason ? hintId : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={`${id}-name`}>Name</label>
      <input
        id={`${id}-name`}
        value={value}
        maxLength={200}
        spellCheck={false}
        autoComplete="off"
        required
        disabled={Boolean(disabledReason)}
        onChange={(e) => onChange(e.target.value)}
        {...(error ? { 'aria-invalid': true } : {})}
        {...(describe ? { 'aria-describedby': describe } : {})}
      />
      <FieldError id={errorId} message={error} />
      {disabledReason || hint ? (
        <span id={hintId} className={warn && !disabledReason ? 'warn-text hint' : 'muted hint'}>
          {disabledReason ?? hint}
        </span>
      ) : null}
    </div>
  );
}

/**
 * A select over the project's names. A value the project does not define (a schedule pointing at a
 * removed plugin) stays selectable, marked, so opening the form changes nothing by itself.
 */
export function PickField({
  label,
  value,
  options,
  loading,
  error,
  onChange,
  addTo,
}: {
  label: string;
  value: string;
  options: readonly string[];
  loading: boolean;
  error?: string | undefined;
  onChange: (value: string) => void;
  /** Where to add one when the project has none (`/plugins/add/extractors`). */
  addTo?: string;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const missing = value !== '' && !loading && !options.includes(value);
  return (
    <div className="field">
      <label htmlFor={`${id}-select`}>{label}</label>
      <select
        id={`${id}-select`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...describedBy(errorId, error)}
      >
        <option value="">{loading ? 'Loading…' : `Choose ${label.toLowerCase()}…`}</option>
        {missing ? <option value={value}>{value} (not defined in the project)</option> : null}
        {options.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <FieldError id={errorId} message={error} />
      {!loading && options.length === 0 ? (
        <span className="muted hint">
          The project has no {label.toLowerCase()}s yet.
          {addTo ? (
            <>
              {' '}
              <Link to={addTo}>
                Add {article(label)} {label.toLowerCase()}
              </Link>
            </>
          ) : null}
        </span>
      ) : null}
    </div>
  );
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');
