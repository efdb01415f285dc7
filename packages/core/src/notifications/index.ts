export {
  buildChannelConfig,
  type ChannelConfig,
  type EmailConfig,
  SECRET_FIELDS,
  type SlackConfig,
  type WebhookConfig,
} from './channel-config.js';
export { type LinkBase, linkBase } from './content.js';
export { type DetectedEvent, detectLateEvents, detectRunEvents, runOutcome } from './detect-events.js';
export { type LegacyEmail, legacyEmailConfig } from './legacy-email.js';
export type * from './notification.types.js';
export { CHANNEL_KINDS, NOTIFICATION_EVENTS } from './notification.types.js';
export { createNotifications, type NotificationsSetup } from './notifications.js';
export type {
  ChannelInput,
  ChannelPatch,
  DeliveryQuery,
  NotificationsService,
  RuleInput,
  RulePatch,
} from './notifications-service.js';
export { Notifier, type NotifierOptions, type TickReport } from './notifier.js';
export {
  DELIVERY_HEADER,
  SEND_TIMEOUT_MS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
  webhookSignature,
} from './senders.js';
export {
  createSubscriptionsRepository,
  type NewSubscription,
  type Subscription,
  type SubscriptionsRepository,
} from './subscriptions.repository.js';
