import type { PluginSetting } from '../../../lib/api-types';
import { initialDraft } from './setting-control';
import { parseDraft } from './setting-value';

type FormSetting = Pick<
  PluginSetting,
  'name' | 'version' | 'kind' | 'sensitive' | 'redacted' | 'options' | 'value' | 'source' | 'locked'
>;

/**
 * What the person did to one setting, against the version they saw: a 409 for that version then stays a
 * 409 until they reload that field, rather than a later Save silently overwriting the newer value.
 */
export type Draft = { version: string; action: 'set'; text: string } | { version: string; action: 'unset' };

export type Drafts = Readonly<Record<string, Draft>>;

export type Change = { name: string; version: string } & (
  | { action: 'set'; value: unknown }
  | { action: 'unset' }
);

export interface FormState {
  /** What Save sends, in the page's order. */
  changes: Change[];
  /** A message per setting whose draft cannot be sent. */
  invalid: Record<string, string>;
  canSave: boolean;
}

/** Drafts that equal what was read are no change (typing a value back undoes the edit). */
export function formState(settings: readonly FormSetting[], drafts: Drafts): FormState {
  const changes: Change[] = [];
  const invalid: Record<string, string> = {};
  for (const s of settings) {
    const draft = drafts[s.name];
    if (!draft || s.locked) continue;
    if (draft.action === 'unset') {
      changes.push({ name: s.name, version: draft.version, action: 'unset' });
      continue;
    }
    if (draft.text === initialDraft(s)) continue;
    const parsed = parseDraft(s, draft.text);
    if (parsed.ok) changes.push({ name: s.name, version: draft.version, action: 'set', value: parsed.value });
    else invalid[s.name] = parsed.error;
  }
  const canSave = changes.length > 0 && Object.keys(invalid).length === 0;
  return { changes, invalid, canSave };
}

/** The draft a setting's field shows: the person's, or what was read. */
export function draftText(setting: FormSetting, drafts: Drafts): string {
  const draft = drafts[setting.name];
  return draft?.action === 'set' ? draft.text : initialDraft(setting);
}

/** A new draft keeps the version of the one it replaces: the version the person started from. */
export function withDraft(
  drafts: Drafts,
  setting: Pick<FormSetting, 'name' | 'version'>,
  next: { action: 'set'; text: string } | { action: 'unset' } | null,
): Drafts {
  const { [setting.name]: old, ...rest } = drafts;
  if (next === null) return rest;
  return { ...rest, [setting.name]: { ...next, version: old?.version ?? setting.version } };
}

export type Outcome =
  | { status: 'saved'; message: string }
  | { status: 'failed'; message: string; field: boolean; conflict: boolean };

export type Outcomes = Readonly<Record<string, Outcome>>;

/**
 * After a Save: saved settings drop their draft (the field shows the value read back) and say where the
 * value went; failed ones keep the person's draft and the server's words. Settings not in this Save keep
 * neither an old success nor an old error, so what is shown is about the last Save only.
 */
export function mergeOutcomes(drafts: Drafts, outcomes: Outcomes): { drafts: Drafts; outcomes: Outcomes } {
  const next: Record<string, Draft> = {};
  for (const [name, draft] of Object.entries(drafts)) {
    if (outcomes[name]?.status !== 'saved') next[name] = draft;
  }
  return { drafts: next, outcomes };
}

/** "Save 3 changes", "No changes", or why Save waits. */
export function saveSummary(state: FormState): string {
  const bad = Object.keys(state.invalid).length;
  if (bad > 0) return bad === 1 ? '1 value needs fixing' : `${bad} values need fixing`;
  const n = state.changes.length;
  if (n === 0) return 'No changes';
  return n === 1 ? '1 change' : `${n} changes`;
}
