import { useId } from 'react';
import { EnvReferences } from '../../../components/env-references';
import type { PluginSetting } from '../../../lib/api-types';
import { controlFor } from '../model/setting-control';
import type { Outcome } from '../model/setting-form';
import { SOURCE_LABELS, storeLabel } from '../model/setting-stores';
import { MessageText } from './message-text';
import { SettingEditor } from './setting-editor';

function shown(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function LockIcon() {
  return (
    <svg
      className="lock-icon"
      viewBox="0 0 16 16"
      width="14"
      height="14"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 0 0-4 0v2z" />
    </svg>
  );
}

interface RowProps {
  setting: PluginSetting;
  environment: string | null;
  /** No edit_settings: every field is read-only (the page says why once, above the list). */
  noPermission: boolean;
  draft: string;
  changed: boolean;
  unsetting: boolean;
  /** Why the draft cannot be sent, checked as the person types. */
  invalid: string | null;
  /** What the last Save did to this setting. */
  outcome: Outcome | null;
  busy: boolean;
  onDraft: (draft: string) => void;
  onDiscard: () => void;
  onUnset: () => void;
  /** After a 409: drop the draft and show the value read now. */
  onReload: () => void;
}

/** One setting: its value and where it comes from, the env vars Meltano reads, and a control to change it. */
export function SettingRow(props: RowProps) {
  const { setting: s, environment, draft, changed, unsetting, invalid, outcome, busy } = props;
  const id = useId();
  const secret = controlFor(s) === 'secret';
  // The label people read, and the setting's own name beside it when they differ.
  const named = s.label !== null && s.label !== s.name;
  const failed = outcome?.status === 'failed' ? outcome : null;
  const fieldError = invalid ?? (failed?.field ? failed.message : null);
  const readOnly = s.locked !== null || props.noPermission;
  const describedBy = [`${id}-meta`, s.locked ? `${id}-lock` : null, fieldError ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <li
      className={`setting${changed ? ' setting-changed' : ''}`}
      aria-labelledby={named ? `${id}-label ${id}-name` : `${id}-label`}
    >
      <div className="setting-about">
        <label id={`${id}-label`} htmlFor={`${id}-input`} className="setting-label">
          {s.label ?? s.name}
        </label>
        {named ? (
          <code id={`${id}-name`} className="muted">
            {' '}
            {s.name}
          </code>
        ) : null}{' '}
        <span className="tag">{s.kind ?? 'string'}</span>
        {secret ? <span className="tag">secret</span> : null}
        {s.custom ? <span className="tag">custom</span> : null}
        {s.description ? <p className="muted setting-description">{s.description}</p> : null}
      </div>
      <div className="setting-control">
        <SettingEditor
          setting={s}
          inputId={`${id}-input`}
          describedBy={describedBy}
          draft={draft}
          changed={changed}
          unsetting={unsetting}
          readOnly={readOnly}
          busy={busy}
          invalid={fieldError !== null}
          onDraft={props.onDraft}
          onDiscard={props.onDiscard}
          onUnset={props.onUnset}
        />
        {fieldError ? (
          <p id={`${id}-error`} className="inline-error setting-error" role={invalid ? undefined : 'alert'}>
            {fieldError}
          </p>
        ) : null}
        {s.locked ? (
          <p id={`${id}-lock`} className="setting-lock" role="note">
            <LockIcon /> <strong>Locked:</strong> <MessageText text={s.locked.reason} />
          </p>
        ) : null}
        <p id={`${id}-meta`} className="setting-meta muted">
          {secret ? (
            <span className={s.is_set ? 'secret-set' : undefined}>{s.is_set ? 'Set' : 'Not set'}</span>
          ) : s.is_set ? (
            <span>Value</span>
          ) : (
            <span>Not set</span>
          )}
          {s.is_set ? (
            <>
              {' '}
              from {SOURCE_LABELS[s.source]}
              {s.env_var ? (
                <>
                  {' '}
                  as <code>{s.env_var}</code>
                </>
              ) : null}
              {s.inherited_source ? ` (the parent’s ${SOURCE_LABELS[s.inherited_source]})` : null}
            </>
          ) : null}
          {s.expanded && !secret && !s.expansion_hidden ? (
            <>
              {' · '}expands to <code>{shown(s.expanded_value)}</code>
            </>
          ) : null}
          {s.expansion_hidden ? (
            <> · expanded value not shown: it reads a secret or the server’s environment</>
          ) : null}
          {s.env_vars.length > 0 ? (
            <>
              {' · '}env: <code>{s.env_vars.join(', ')}</code>
            </>
          ) : null}
          {!s.locked && s.write_store ? (
            <> · saving writes to {storeLabel(s.write_store, environment)}</>
          ) : null}
        </p>
        <EnvReferences references={s.references} label={`Variables ${s.name} reads`} />
        {s.conflict ? (
          <p className="warn-text" role="note">
            Meltano refuses this: {s.conflict.keys.join(' and ')} are both set (
            {s.conflict.kind.replaceAll('_', ' ')})
          </p>
        ) : null}
        {unsetting ? <p className="muted">Save removes this value.</p> : null}
        {outcome?.status === 'saved' ? (
          <p role="status" className="ok-text">
            {outcome.message}
          </p>
        ) : null}
        {failed && !failed.field ? (
          <div role="alert" className="inline-error">
            <MessageText text={failed.message} />
            {failed.conflict ? (
              <>
                {' '}
                <button type="button" onClick={props.onReload} aria-label={`Reload ${s.name}`}>
                  Reload
                </button>
              </>
            ) : null}
          </div>
        ) : null}
      </div>
    </li>
  );
}
