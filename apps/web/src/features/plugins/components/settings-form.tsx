import { useId, useState } from 'react';
import type { PluginSetting } from '../../../lib/api-types';
import { useSaveSettings } from '../api/save-settings';
import {
  type Drafts,
  draftText,
  formState,
  mergeOutcomes,
  type Outcomes,
  saveSummary,
  withDraft,
} from '../model/setting-form';
import { SettingRow } from './setting-row';
import './settings-form.css';

interface FormProps {
  settings: readonly PluginSetting[];
  type: string;
  name: string;
  environment: string | null;
  /** Why this person cannot change settings, or null when they can. */
  noPermission: string | null;
  projectReadonly: boolean;
}

/**
 * Every setting of a plugin in one form: changes are kept per field until Save sends them all; each field
 * then says where its value went or why the server refused it, and a refused field keeps what was typed.
 */
export function SettingsForm({
  settings,
  type,
  name,
  environment,
  noPermission,
  projectReadonly,
}: FormProps) {
  const [drafts, setDrafts] = useState<Drafts>({});
  const [outcomes, setOutcomes] = useState<Outcomes>({});
  const save = useSaveSettings({ type, name, environment, projectReadonly });
  const summaryId = useId();
  const state = formState(settings, drafts);
  const busy = save.isPending;
  const change = (s: PluginSetting, next: Parameters<typeof withDraft>[2]) => {
    setDrafts((d) => withDraft(d, s, next));
    // A field edited after a Save is about the new value, not the old outcome.
    setOutcomes(({ [s.name]: _, ...rest }) => rest);
  };
  const changedNames = new Set([...state.changes.map((c) => c.name), ...Object.keys(state.invalid)]);
  return (
    <form
      className="settings-form"
      aria-label={`Change the settings of ${name}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!state.canSave || busy || noPermission) return;
        void save.mutateAsync(state.changes).then((result) => {
          const merged = mergeOutcomes(drafts, result);
          setDrafts(merged.drafts);
          setOutcomes(merged.outcomes);
        });
      }}
    >
      <ul className="settings" aria-label={`Settings of ${name}`}>
        {settings.map((s) => (
          <SettingRow
            key={s.name}
            setting={s}
            environment={environment}
            noPermission={noPermission !== null}
            draft={draftText(s, drafts)}
            changed={changedNames.has(s.name)}
            unsetting={drafts[s.name]?.action === 'unset'}
            invalid={state.invalid[s.name] ?? null}
            outcome={outcomes[s.name] ?? null}
            busy={busy}
            onDraft={(text) => change(s, { action: 'set', text })}
            onDiscard={() => change(s, null)}
            onUnset={() => change(s, { action: 'unset' })}
            onReload={() => change(s, null)}
          />
        ))}
      </ul>
      {noPermission ? null : (
        <div className="settings-save">
          <span id={summaryId} className="muted" aria-live="polite">
            {busy ? 'Saving…' : saveSummary(state)}
          </span>
          <button
            type="button"
            disabled={busy || Object.keys(drafts).length === 0}
            onClick={() => {
              setDrafts({});
              setOutcomes({});
            }}
          >
            Discard all
          </button>
          <button
            type="submit"
            className="primary"
            disabled={!state.canSave || busy}
            aria-describedby={summaryId}
          >
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      )}
    </form>
  );
}
