import { useId, useRef, useState } from 'react';
import { ApiError } from '../../lib/api-client';
import type { Environment, EnvironmentPatch, EnvironmentWritten } from '../../lib/api-types';
import { usePlugins } from './api/get-plugins';
import { useUpdateEnvironment } from './api/update-environment';
import { configToText, envToLines, linesToEnv, textToConfig } from './environment-form-model';

interface OverrideDraft {
  type: string;
  name: string;
  config: string;
  env: string;
}

const draftsOf = (e: Environment): OverrideDraft[] =>
  e.plugin_overrides.map((o) => ({
    type: o.type,
    name: o.name,
    config: configToText(o.config),
    env: envToLines(o.env),
  }));

/** The patch the form asks for, or the first problem in it. */
function buildPatch(
  e: Environment,
  fields: { name: string; suffix: string; env: string; overrides: OverrideDraft[] },
): { ok: true; patch: EnvironmentPatch } | { ok: false; error: string } {
  const env = linesToEnv(fields.env);
  if (!env.ok) return { ok: false, error: `Environment variables: ${env.error}` };
  const plugins: NonNullable<EnvironmentPatch['plugins']> = [];
  for (const o of fields.overrides) {
    const config = textToConfig(o.config);
    if (!config.ok) return { ok: false, error: `${o.name} config: ${config.error}` };
    const oEnv = linesToEnv(o.env);
    if (!oEnv.ok) return { ok: false, error: `${o.name} env: ${oEnv.error}` };
    plugins.push({ type: o.type, name: o.name, config: config.value, env: oEnv.value });
  }
  // Overrides removed from the form are sent empty, which removes them from the file.
  for (const o of e.plugin_overrides) {
    if (!fields.overrides.some((d) => d.type === o.type && d.name === o.name))
      plugins.push({ type: o.type, name: o.name, config: {}, env: {} });
  }
  const patch: EnvironmentPatch = { env: env.value, plugins, state_id_suffix: fields.suffix.trim() || null };
  if (fields.name.trim() !== e.name) patch.name = fields.name.trim();
  return { ok: true, patch };
}

function StateIdChanges({ preview }: { preview: EnvironmentWritten }) {
  return (
    <>
      {preview.state_id_changes.length === 0 ? (
        <p>No state ID changes: no job records state under this environment.</p>
      ) : (
        <>
          <p>
            These state IDs change. Runs and Singer state recorded under the old ones stay there, so the next
            run of each job starts without its bookmarks unless you copy the state (
            <code>meltano state copy</code>):
          </p>
          <ul aria-label="State IDs that change">
            {preview.state_id_changes.map((c) => (
              <li key={`${c.job}/${c.from}`}>
                <code>{c.from}</code> → <code>{c.to}</code> <span className="muted">(job {c.job})</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {preview.warnings.map((w) => (
        <p key={w} className="warn-text">
          {w}
        </p>
      ))}
    </>
  );
}

/** Edit an environment in place: name, state ID suffix, env, and each plugin's override. */
export function EnvironmentEditor({
  environment: e,
  onDone,
}: {
  environment: Environment;
  onDone: () => void;
}) {
  const [name, setName] = useState(e.name);
  const [suffix, setSuffix] = useState(e.state_id_suffix ?? '');
  const [env, setEnv] = useState(envToLines(e.env));
  const [overrides, setOverrides] = useState<OverrideDraft[]>(draftsOf(e));
  const [problem, setProblem] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ patch: EnvironmentPatch; written: EnvironmentWritten } | null>(
    null,
  );
  const [adding, setAdding] = useState('');
  const update = useUpdateEnvironment();
  const plugins = usePlugins();
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const titleId = useId();
  const candidates = Object.values(plugins.data?.plugins ?? {})
    .flat()
    .filter((p) => !overrides.some((o) => o.type === p.type && o.name === p.name));

  const save = (patch: EnvironmentPatch) =>
    update.mutate(
      { name: e.name, version: e.version, patch },
      {
        onSuccess: () => {
          dialog.current?.close();
          onDone();
        },
      },
    );

  const submit = () => {
    setProblem(null);
    const built = buildPatch(e, { name, suffix, env, overrides });
    if (!built.ok) return setProblem(built.error);
    const moves =
      built.patch.name !== undefined || (built.patch.state_id_suffix ?? null) !== e.state_id_suffix;
    if (!moves) return save(built.patch);
    // A rename (or a new suffix) moves state IDs: say which before writing.
    update.mutate(
      { name: e.name, version: e.version, patch: built.patch, dryRun: true },
      {
        onSuccess: (written) => {
          setPreview({ patch: built.patch, written });
          dialog.current?.showModal();
        },
      },
    );
  };

  const error = update.error;
  return (
    <form
      className="environment-editor"
      aria-label={`Edit environment ${e.name}`}
      onSubmit={(ev) => {
        ev.preventDefault();
        submit();
      }}
    >
      <label htmlFor={`${id}-name`}>Name</label>
      <input
        className="wide-field"
        id={`${id}-name`}
        value={name}
        onChange={(ev) => setName(ev.target.value)}
        required
      />
      <label htmlFor={`${id}-suffix`}>State ID suffix</label>
      <input
        className="wide-field"
        id={`${id}-suffix`}
        value={suffix}
        onChange={(ev) => setSuffix(ev.target.value)}
      />
      <label htmlFor={`${id}-env`}>Environment variables (KEY=value, one per line)</label>
      <textarea
        className="wide-field"
        id={`${id}-env`}
        rows={3}
        value={env}
        onChange={(ev) => setEnv(ev.target.value)}
      />
      {overrides.map((o, i) => (
        <fieldset key={`${o.type}/${o.name}`} className="override-fields">
          <legend>
            {o.name} <span className="muted">({o.type.replace(/s$/, '')})</span>
          </legend>
          <label htmlFor={`${id}-${i}-config`}>Config of {o.name} (JSON; (redacted) keeps a secret)</label>
          <textarea
            id={`${id}-${i}-config`}
            rows={4}
            className="mono wide-field"
            value={o.config}
            onChange={(ev) =>
              setOverrides(overrides.map((d, j) => (j === i ? { ...d, config: ev.target.value } : d)))
            }
          />
          <label htmlFor={`${id}-${i}-env`}>Env of {o.name} (KEY=value)</label>
          <textarea
            id={`${id}-${i}-env`}
            className="wide-field"
            rows={2}
            value={o.env}
            onChange={(ev) =>
              setOverrides(overrides.map((d, j) => (j === i ? { ...d, env: ev.target.value } : d)))
            }
          />
          <button
            type="button"
            className="link-button"
            onClick={() => setOverrides(overrides.filter((_, j) => j !== i))}
          >
            Remove the override of {o.name}
          </button>
        </fieldset>
      ))}
      <div className="environment-picker">
        <label htmlFor={`${id}-add`}>Add an override for</label>
        <select id={`${id}-add`} value={adding} onChange={(ev) => setAdding(ev.target.value)}>
          <option value="">Choose a plugin…</option>
          {candidates.map((p) => (
            <option key={`${p.type}/${p.name}`} value={`${p.type}/${p.name}`}>
              {p.name} ({p.type})
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={adding === ''}
          onClick={() => {
            const [type = '', ...rest] = adding.split('/');
            setOverrides([...overrides, { type, name: rest.join('/'), config: '{}', env: '' }]);
            setAdding('');
          }}
        >
          Add
        </button>
      </div>
      {problem ? (
        <p role="alert" className="inline-error">
          {problem}
        </p>
      ) : null}
      {error && !preview ? (
        <p role="alert" className="inline-error">
          Not saved: {error.message}
          {error instanceof ApiError && error.code === 'environment_changed'
            ? ' The page now shows the current version: check it, then save again.'
            : null}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save environment'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="confirm-dialog"
        onClose={() => setPreview(null)}
      >
        {preview ? (
          <>
            <h2 id={titleId}>
              {preview.patch.name
                ? `Rename ${e.name} to ${preview.patch.name}?`
                : `Change the state ID suffix of ${e.name}?`}
            </h2>
            <StateIdChanges preview={preview.written} />
            {error ? (
              <p role="alert" className="inline-error">
                Not saved: {error.message}
              </p>
            ) : null}
            <div className="form-actions">
              <button type="button" disabled={update.isPending} onClick={() => save(preview.patch)}>
                {preview.patch.name ? `Rename to ${preview.patch.name}` : 'Change the suffix'}
              </button>
              <button type="button" onClick={() => dialog.current?.close()}>
                Cancel
              </button>
            </div>
          </>
        ) : null}
      </dialog>
    </form>
  );
}
