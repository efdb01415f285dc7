import { describe, expect, it } from 'vitest';
import { type Drafts, draftText, formState, mergeOutcomes, saveSummary, withDraft } from './setting-form';
import { failedOutcome } from './setting-outcome';

const base = {
  sensitive: false,
  redacted: false,
  options: [],
  source: 'meltano_yml' as const,
  locked: null,
};
const host = { ...base, name: 'host', version: 'v-host', kind: 'string' as const, value: 'db' };
const port = { ...base, name: 'port', version: 'v-port', kind: 'integer' as const, value: 5432 };
const flag = { ...base, name: 'flag', version: 'v-flag', kind: 'boolean' as const, value: false };
const meta = { ...base, name: 'meta', version: 'v-meta', kind: 'object' as const, value: null };
const locked = {
  ...host,
  name: 'mode',
  version: 'v-mode',
  locked: { reason: 'Set by the environment variable TAP_MODE', by: 'env' },
};
const settings = [host, port, flag, meta, locked] as never[];

const set = (drafts: Drafts, s: { name: string; version: string }, text: string) =>
  withDraft(drafts, s, { action: 'set', text });

describe('formState', () => {
  it('has nothing to save until a value differs from what was read', () => {
    const state = formState(settings, {});
    expect(state).toEqual({ changes: [], invalid: {}, canSave: false });
    expect(saveSummary(state)).toBe('No changes');
    // Typed back to the value read: no change.
    expect(formState(settings, set({}, host, 'db')).changes).toEqual([]);
  });

  it('lists every change in the page order, values parsed for their kind', () => {
    let drafts = set({}, flag, 'true');
    drafts = set(drafts, port, '5433');
    drafts = withDraft(drafts, host, { action: 'unset' });
    const state = formState(settings, drafts);
    expect(state.changes).toEqual([
      { name: 'host', version: 'v-host', action: 'unset' },
      { name: 'port', version: 'v-port', action: 'set', value: 5433 },
      { name: 'flag', version: 'v-flag', action: 'set', value: true },
    ]);
    expect(state.canSave).toBe(true);
    expect(saveSummary(state)).toBe('3 changes');
  });

  it('refuses Save while any changed value is invalid, naming each', () => {
    let drafts = set({}, port, '54x');
    drafts = set(drafts, meta, '[1]');
    drafts = set(drafts, host, 'db2');
    const state = formState(settings, drafts);
    expect(state.invalid).toEqual({
      port: 'A whole number, like 42.',
      meta: 'A JSON object, like {"key": "value"}.',
    });
    expect(state.changes.map((c) => c.name)).toEqual(['host']);
    expect(state.canSave).toBe(false);
    expect(saveSummary(state)).toBe('2 values need fixing');
  });

  it('never sends a locked setting', () => {
    expect(formState(settings, set({}, locked, 'other')).changes).toEqual([]);
  });
});

describe('drafts', () => {
  it('keep the version the person started from, so a 409 is not overwritten by a later Save', () => {
    const first = set({}, port, '5433');
    const again = set(first, { ...port, version: 'v-newer' }, '5434');
    expect(again.port).toEqual({ action: 'set', text: '5434', version: 'v-port' });
    expect(withDraft(again, port, null)).toEqual({});
  });

  it('show the draft, or what was read', () => {
    expect(draftText(port as never, {})).toBe('5432');
    expect(draftText(port as never, set({}, port, '1'))).toBe('1');
  });
});

describe('mergeOutcomes', () => {
  it('drops the drafts that were saved and keeps the refused ones with the server’s words', () => {
    let drafts = set({}, host, 'db2');
    drafts = set(drafts, port, '5434');
    const conflict = failedOutcome({
      status: 409,
      code: 'setting_changed',
      message: 'changed',
    });
    const merged = mergeOutcomes(drafts, {
      host: { status: 'saved', message: 'Saved to meltano.yml' },
      port: conflict,
    });
    expect(Object.keys(merged.drafts)).toEqual(['port']);
    expect(merged.drafts.port).toEqual(drafts.port);
    expect(merged.outcomes.host).toEqual({ status: 'saved', message: 'Saved to meltano.yml' });
    expect(merged.outcomes.port).toMatchObject({ status: 'failed', conflict: true, field: false });
    expect(conflict.message).toContain('Reload it');
  });
});

describe('failedOutcome', () => {
  it('puts a 400 on the field and a lock or other failure under it', () => {
    expect(failedOutcome({ status: 400, code: 'invalid_value', message: 'Not an integer' })).toEqual({
      status: 'failed',
      field: true,
      conflict: false,
      message: 'Not an integer',
    });
    expect(
      failedOutcome({
        status: 409,
        code: 'setting_locked',
        message: 'locked',
        details: { locked: { reason: 'Set by TAP_MODE' } },
      }).message,
    ).toBe('Locked: Set by TAP_MODE');
    expect(failedOutcome(new Error('Failed to fetch'))).toMatchObject({
      field: false,
      message: 'Failed to fetch',
    });
  });
});
