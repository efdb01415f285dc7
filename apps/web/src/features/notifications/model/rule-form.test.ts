import { describe, expect, it } from 'vitest';
import {
  createRuleBody,
  EVENTS,
  emptyRuleForm,
  ruleForm,
  ruleFormErrors,
  rulePatchBody,
  toggled,
} from './rule-form';

describe('rule form', () => {
  it('sends null pipelines for "all", the names otherwise', () => {
    const form = { ...emptyRuleForm('c1'), pipelines: ['daily'] };
    expect(createRuleBody(form)).toEqual({
      channel_id: 'c1',
      events: ['failed', 'stale'],
      pipelines: null,
      enabled: true,
    });
    expect(createRuleBody({ ...form, scope: 'some' }).pipelines).toEqual(['daily']);
    expect(rulePatchBody({ ...form, scope: 'some', enabled: false })).toEqual({
      events: ['failed', 'stale'],
      pipelines: ['daily'],
      enabled: false,
    });
  });

  it('reads a rule back into the form', () => {
    const form = ruleForm({
      id: 'r1',
      channel_id: 'c1',
      events: ['late', 'failed'],
      pipelines: null,
      enabled: true,
      created_at: '2026-01-01T00:00:00Z',
    });
    // Events in their usual order whatever the API's.
    expect(form).toEqual({
      channelId: 'c1',
      events: ['failed', 'late'],
      scope: 'all',
      pipelines: [],
      enabled: true,
    });
  });

  it('toggles an item, keeping the given order', () => {
    expect(toggled(['stale'], 'failed', true, EVENTS)).toEqual(['failed', 'stale']);
    expect(toggled(['failed', 'stale'], 'failed', false, EVENTS)).toEqual(['stale']);
    expect(toggled(['a'], 'a', true)).toEqual(['a']);
  });

  it('asks for a channel, an event, and a pipeline when not all', () => {
    expect(ruleFormErrors({ ...emptyRuleForm(), events: [], scope: 'some' })).toEqual({
      channel_id: 'Pick the channel to send to',
      events: 'Pick at least one event',
      pipelines: 'Pick at least one pipeline, or choose all pipelines',
    });
    expect(ruleFormErrors(emptyRuleForm('c1'))).toEqual({});
  });
});
