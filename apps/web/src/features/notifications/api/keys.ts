import type { QueryClient } from '@tanstack/react-query';

/** Every notifications query sits under this key; a change re-reads channels, rules and the log. */
export const NOTIFICATIONS_KEY = ['notifications'] as const;

export const refreshNotifications = (client: QueryClient) =>
  client.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
