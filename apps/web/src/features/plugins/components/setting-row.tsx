import { useId, useState } from 'react';
import { EnvReferences } from '../../../components/env-references';
import { ApiError } from '../../../lib/api-client';
import type { Permission, PluginSetting } from '../../../lib/api-types';
import { useWriteSetting } from '../api/write-setting';
import { controlFor } from '../model/setting-control';
import { SOURCE_LABELS, savedMessage, storeLabel, unsetMessage } from '../model/setting-stores';
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

/** What the server said, in words for the person who tried. */
function writeProblem(error: Error): { field: string | null; row: string } {
  if (error instanceof ApiError && error.code === 'setting_changed') {
    return {
      field: null,
      row: 'It was changed elsewhere since this page read it. The current value is shown now; check it and try again.',
    };
  }
  if (error instanceof ApiError && error.code === 'setting_locked') {
    const locked = error.details?.locked as { reason?: string } | null | undefined;
    return { field: null, row: `Locked: ${locked?.reason ?? error.message}` };
  }
  if (error instanceof ApiError && error.status === 400) return { field: error.message, row: '' };
  return { field: null, row: error.message };
}

interface RowProps {
  setting: PluginSetting;
  type: string;
  name: string;
  environment: string | null;
  permission: Permission;
  projectReadonly: boolean;
}

/** One setting: its value and where it comes from, the env vars Meltano reads, and a control to change it. */
export function SettingRow({ setting: s, type, name, environment, permission, projectReadonly }: RowProps) {
  const write = useWriteSetting(type, name);
  const [message, setMessage] = useState<string | null>(null);
  const [saves, setSaves] = useState(0);
  const id = useId();
  const secret = controlFor(s) === 'secret';
  // The label people read, and the setting's own name beside it when they differ.
  const named = s.label !== null && s.label !== s.name;
  const problem = write.error ? writeProblem(write.error) : null;
  const target = { type, name, environment, setting: s };
  const done = (text: string) => {
    setMessage(text);
    setSaves((n) => n + 1);
  };
  const onError = () => setMessage(null);
  return (
    <li className="setting" aria-labelledby={named ? `${id}-label ${id}-name` : `${id}-label`}>
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
        {s.locked ? (
          <div className="setting-lock" role="note">
            <LockIcon /> <strong>Locked:</strong> <MessageText text={s.locked.reason} />
            {!secret && s.is_set ? <div className="mono setting-value">{shown(s.value)}</div> : null}
          </div>
        ) : (
          <SettingEditor
            key={`${s.version}:${saves}`}
            setting={s}
            inputId={`${id}-input`}
            describedBy={`${id}-meta`}
            disabled={!permission.allowed}
            pending={write.isPending}
            serverError={problem?.field ?? null}
            onSave={(value) =>
              write.mutate(
                { target, action: 'set', value },
                { onSuccess: (w) => done(savedMessage(w, environment, projectReadonly)), onError },
              )
            }
            onUnset={() =>
              write.mutate(
                { target, action: 'unset' },
                { onSuccess: (w) => done(unsetMessage(w.removed_from ?? [], environment)), onError },
              )
            }
          />
        )}
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
        {message && !write.isError ? (
          <p role="status" className="ok-text">
            {message}
          </p>
        ) : null}
        {problem?.row ? (
          <p role="alert" className="inline-error">
            <MessageText text={problem.row} />
          </p>
        ) : null}
      </div>
    </li>
  );
}
