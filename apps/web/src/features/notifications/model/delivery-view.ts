import type { DeliveryStatus, NotificationChannel, NotificationDelivery } from '../../../lib/api-types';
import { EVENT_LABELS } from './rule-form';

export const STATUS_LABELS: Record<DeliveryStatus, string> = {
  sending: 'Sending',
  retrying: 'Retrying',
  delivered: 'Delivered',
  failed: 'Failed',
};

/** The shared badge colours: delivered as a success, failed as a failure, the rest in progress. */
export const STATUS_BADGES: Record<DeliveryStatus, string> = {
  sending: 'badge badge-running',
  retrying: 'badge badge-warn',
  delivered: 'badge badge-success',
  failed: 'badge badge-bad',
};

export const eventLabel = (event: NotificationDelivery['event']) =>
  event === 'test' ? 'Test message' : EVENT_LABELS[event];

/** Which channel a delivery went through, by name; ui.notification's email has none of its own. */
export function channelLabel(
  delivery: Pick<NotificationDelivery, 'channel_id' | 'source'>,
  channels: ReadonlyMap<string, Pick<NotificationChannel, 'name'>>,
): string {
  if (delivery.source === 'legacy_email') return 'ui.notification email';
  if (delivery.channel_id === null) return 'a removed channel';
  return channels.get(delivery.channel_id)?.name ?? 'a removed channel';
}

/** What a "Send test" came to, in a sentence. */
export function testOutcome(delivery: Pick<NotificationDelivery, 'status' | 'last_error' | 'response_code'>) {
  const code = delivery.response_code === null ? '' : ` (${delivery.response_code})`;
  if (delivery.status === 'delivered') return { ok: true, text: `Delivered${code}.` };
  return {
    ok: false,
    text: `Not delivered${code}: ${delivery.last_error ?? STATUS_LABELS[delivery.status]}`,
  };
}
