import type { PluginSetting } from '../../../lib/api-types';
import type { SettingControl } from '../model/setting-control';

interface FieldProps {
  id: string;
  setting: PluginSetting;
  control: SettingControl;
  draft: string;
  onDraft: (draft: string) => void;
  placeholder: string;
  disabled: boolean;
  /** Shown but not editable (locked, or no permission): text stays selectable; a checkbox or list is disabled. */
  readOnly: boolean;
  describedBy: string;
  invalid: boolean;
}

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The input for one setting, by kind. A secret's field starts empty and is never filled from the server. */
export function SettingField(props: FieldProps) {
  const { id, setting, control, draft, onDraft, placeholder, disabled, readOnly, describedBy, invalid } =
    props;
  const common = {
    id,
    disabled,
    'aria-describedby': describedBy,
    'aria-invalid': invalid || undefined,
  };
  switch (control) {
    case 'boolean':
      return (
        <input
          {...common}
          disabled={disabled || readOnly}
          type="checkbox"
          checked={draft === 'true'}
          onChange={(e) => onDraft(e.target.checked ? 'true' : 'false')}
        />
      );
    case 'options':
      return (
        <select
          {...common}
          disabled={disabled || readOnly}
          value={draft}
          onChange={(e) => onDraft(e.target.value)}
        >
          <option value="">{placeholder || '(choose)'}</option>
          {setting.options.map((o, i) => (
            <option key={`${JSON.stringify(o.value)}:${o.label}`} value={String(i)}>
              {o.label}
            </option>
          ))}
        </select>
      );
    case 'json':
      return (
        <textarea
          {...common}
          readOnly={readOnly}
          className="mono"
          rows={Math.min(12, Math.max(3, draft.split('\n').length))}
          spellCheck={false}
          value={draft}
          placeholder={placeholder || (setting.kind === 'array' ? '["a", "b"]' : '{"key": "value"}')}
          onChange={(e) => onDraft(e.target.value)}
        />
      );
    case 'secret':
      return (
        <input
          {...common}
          readOnly={readOnly}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={draft}
          placeholder={setting.is_set ? 'Type a new value to replace it' : 'Type a value'}
          onChange={(e) => onDraft(e.target.value)}
        />
      );
    default:
      return (
        <input
          {...common}
          readOnly={readOnly}
          type={inputType(control, draft)}
          inputMode={control === 'integer' ? 'numeric' : control === 'decimal' ? 'decimal' : undefined}
          spellCheck={false}
          value={draft}
          placeholder={placeholder || (control === 'file' ? 'path/relative/to/project.json' : undefined)}
          onChange={(e) => onDraft(e.target.value)}
        />
      );
  }
}

// A date with a time (Meltano accepts ISO 8601 datetimes) stays a text field so the time is kept.
function inputType(control: SettingControl, draft: string): string {
  if (control === 'date') return draft === '' || PLAIN_DATE.test(draft) ? 'date' : 'text';
  if (control === 'email') return 'email';
  return 'text';
}
