import { useId, useState } from 'react';
import type { PluginSetting } from '../../../lib/api-types';
import { controlFor, initialDraft, placeholderFor } from '../model/setting-control';
import { canUnset } from '../model/setting-stores';
import { parseDraft } from '../model/setting-value';
import { SettingField } from './setting-field';

interface EditorProps {
  setting: PluginSetting;
  /** The id the label points at. */
  inputId: string;
  describedBy: string;
  disabled: boolean;
  pending: boolean;
  /** Problems from the server (400), shown with the field's own. */
  serverError: string | null;
  onSave: (value: unknown) => void;
  onUnset: () => void;
}

/**
 * The draft of one setting: it starts from the value read (empty for a secret) and is remounted whenever
 * the setting's version changes, so a saved or reloaded value replaces it.
 */
export function SettingEditor(props: EditorProps) {
  const { setting, inputId, describedBy, disabled, pending, serverError, onSave, onUnset } = props;
  const initial = initialDraft(setting);
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const control = controlFor(setting);
  const dirty = draft !== initial;
  const shownError = error ?? serverError;
  return (
    <form
      className="setting-form"
      aria-label={`Change ${setting.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = parseDraft(setting, draft);
        setError(parsed.ok ? null : parsed.error);
        if (parsed.ok) onSave(parsed.value);
      }}
    >
      <SettingField
        id={inputId}
        setting={setting}
        control={control}
        draft={draft}
        onDraft={(d) => {
          setDraft(d);
          setError(null);
        }}
        placeholder={placeholderFor(setting)}
        disabled={disabled || pending}
        describedBy={`${describedBy}${shownError ? ` ${errorId}` : ''}`}
        invalid={shownError !== null}
      />
      <span className="setting-buttons">
        <button
          type="submit"
          className="primary"
          disabled={disabled || pending || !dirty}
          aria-label={`Save ${setting.name}`}
        >
          {pending ? 'Saving…' : 'Save'}
        </button>
        {dirty ? (
          <button
            type="button"
            onClick={() => setDraft(initial)}
            aria-label={`Discard the change to ${setting.name}`}
          >
            Discard
          </button>
        ) : null}
        {canUnset(setting) ? (
          <button
            type="button"
            className="danger"
            disabled={disabled || pending}
            aria-label={`Unset ${setting.name}`}
            onClick={onUnset}
          >
            Unset
          </button>
        ) : null}
      </span>
      {shownError ? (
        <p id={errorId} role="alert" className="inline-error setting-error">
          {shownError}
        </p>
      ) : null}
    </form>
  );
}
