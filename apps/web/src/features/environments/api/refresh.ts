import type { QueryClient } from '@tanstack/react-query';

/** An environment change moves settings, state IDs and the active environment: every screen re-reads. */
export const refreshAfterEnvironmentWrite = (client: QueryClient) => client.invalidateQueries();
