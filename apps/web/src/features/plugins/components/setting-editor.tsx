import type { PluginSetting } from '../../../lib/api-types';
import { controlFor, placeholderFor } from '../model/setting-control';
import { canUnset } from '../model/setting-stores';
import { SettingField } from './setting-field';

interface EditorProps {
  setting: PluginSetting;
  /** The id the label points at. */
  inputId: string;
  describedBy: string;
  /** What the field shows: the person's draft, or the value read. */
  draft: string;
  changed: boolean;
  /** Unset is chosen: Save removes the value. */
  unsetting: boolean;
  /** Locked or no permission: shown, not editable. */
  readOnly: boolean;
  /** A Save is under way. */
  busy: boolean;
  invalid: boolean;
  onDraft: (draft: string) => void;
  onDiscard: () => void;
  onUnset: () => void;
}

/** One setting's control and its own buttons; the form's single Save sends every change at once. */
export function SettingEditor(props: EditorProps) {
  const { setting, inputId, describedBy, draft, changed, unsetting, readOnly, busy, invalid } = props;
  return (
    <div className="setting-form">
      <SettingField
        id={inputId}
        setting={setting}
        control={controlFor(setting)}
        draft={unsetting ? '' : draft}
        onDraft={props.onDraft}
        placeholder={unsetting ? 'Removed on Save' : placeholderFor(setting)}
        disabled={busy || unsetting}
        readOnly={readOnly}
        describedBy={describedBy}
        invalid={invalid}
      />
      {readOnly ? null : (
        <span className="setting-buttons">
          {changed ? (
            <button
              type="button"
              disabled={busy}
              onClick={props.onDiscard}
              aria-label={`Discard the change to ${setting.name}`}
            >
              {unsetting ? 'Keep' : 'Discard'}
            </button>
          ) : canUnset(setting) ? (
            <button
              type="button"
              className="danger"
              disabled={busy}
              aria-label={`Unset ${setting.name}`}
              onClick={props.onUnset}
            >
              Unset
            </button>
          ) : null}
        </span>
      )}
    </div>
  );
}
