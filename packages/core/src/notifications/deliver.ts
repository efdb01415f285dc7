import type { ChannelConfig } from './channel-config.js';
import type { NotificationContent } from './notification.types.js';
import { type SendResult, sendEmail, sendSlack, sendWebhook } from './senders.js';

export interface DeliverOptions {
  now: () => Date;
  timeoutMs?: number;
  /** Email only: recipients instead of the channel's (ui.notification's per-schedule subscribers). */
  to?: string[];
  /** Email only: extra headers. */
  headers?: Record<string, string>;
}

/** One attempt over a channel; `null` config: its secrets could not be decrypted. */
export async function deliver(
  channel: ChannelConfig | null,
  content: NotificationContent,
  opts: DeliverOptions,
): Promise<SendResult> {
  if (channel === null) {
    return {
      ok: false,
      code: null,
      error:
        "The channel's secrets cannot be decrypted (ui.secret_key changed since they were saved): enter them again",
    };
  }
  const timeout = opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {};
  switch (channel.kind) {
    case 'webhook':
      return sendWebhook(channel.config, content, { now: opts.now, ...timeout });
    case 'slack':
      return sendSlack(channel.config, content, timeout);
    case 'email':
      return sendEmail(channel.config, content, {
        ...timeout,
        ...(opts.to ? { to: opts.to } : {}),
        ...(opts.headers ? { headers: opts.headers } : {}),
      });
  }
}

/**
 * Whether trying again can help: a receiver that refuses the request itself (4xx but timeouts and
 * throttling) will refuse it again, so that delivery stops at once.
 */
export function retryable(result: SendResult, kind: ChannelConfig['kind'] | null): boolean {
  if (result.ok) return false;
  if (kind === 'email' || result.code === null) return true;
  return !(result.code >= 400 && result.code < 500 && result.code !== 408 && result.code !== 429);
}
