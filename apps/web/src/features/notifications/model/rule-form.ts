import type { NotificationEvent, NotificationRule, RuleCreate, RulePatch } from '../../../lib/api-types';

export const EVENTS: readonly NotificationEvent[] = ['failed', 'stale', 'late', 'recovered', 'succeeded'];

export const EVENT_LABELS: Record<NotificationEvent, string> = {
  failed: 'Failed',
  stale: 'Presumed dead',
  late: 'Late',
  recovered: 'Recovered',
  succeeded: 'Succeeded',
};

export const EVENT_HINTS: Record<NotificationEvent, string> = {
  failed: 'a run ended in failure',
  stale: 'a run stopped sending heartbeats',
  late: 'a schedule’s expected start passed with no run',
  recovered: 'the first success after failures',
  succeeded: 'every successful run',
};

export interface RuleForm {
  channelId: string;
  events: NotificationEvent[];
  /** `all`: every pipeline, now and later; `some`: only `pipelines`. */
  scope: 'all' | 'some';
  pipelines: string[];
  enabled: boolean;
}

export type RuleField = 'channel_id' | 'events' | 'pipelines';

export function emptyRuleForm(channelId = ''): RuleForm {
  return { channelId, events: ['failed', 'stale'], scope: 'all', pipelines: [], enabled: true };
}

export function ruleForm(rule: NotificationRule): RuleForm {
  return {
    channelId: rule.channel_id,
    events: EVENTS.filter((e) => rule.events.includes(e)),
    scope: rule.pipelines === null ? 'all' : 'some',
    pipelines: rule.pipelines ?? [],
    enabled: rule.enabled,
  };
}

/** Adds or removes one item, keeping `order` (the events' order, the pipelines' names). */
export function toggled<T>(list: readonly T[], item: T, on: boolean, order: readonly T[] = []): T[] {
  const next = on ? (list.includes(item) ? [...list] : [...list, item]) : list.filter((x) => x !== item);
  if (order.length === 0) return next;
  return [...order.filter((x) => next.includes(x)), ...next.filter((x) => !order.includes(x))];
}

export function ruleFormErrors(form: RuleForm): Partial<Record<RuleField, string>> {
  const errors: Partial<Record<RuleField, string>> = {};
  if (form.channelId === '') errors.channel_id = 'Pick the channel to send to';
  if (form.events.length === 0) errors.events = 'Pick at least one event';
  if (form.scope === 'some' && form.pipelines.length === 0)
    errors.pipelines = 'Pick at least one pipeline, or choose all pipelines';
  return errors;
}

const pipelinesOf = (form: RuleForm) => (form.scope === 'all' ? null : form.pipelines);

export function createRuleBody(form: RuleForm): RuleCreate {
  return {
    channel_id: form.channelId,
    events: form.events,
    pipelines: pipelinesOf(form),
    enabled: form.enabled,
  };
}

/** The channel is fixed once the rule exists (the API changes events, pipelines and enabled). */
export function rulePatchBody(form: RuleForm): RulePatch {
  return { events: form.events, pipelines: pipelinesOf(form), enabled: form.enabled };
}
