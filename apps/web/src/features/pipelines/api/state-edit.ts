import type { QueryClient } from '@tanstack/react-query';
import type { paths } from '../../../lib/api.gen';

export type SingerStateInput =
  paths['/api/v1/state/{state_id}']['put']['requestBody']['content']['application/json']['state'];

/** After an edit: the state shown, the state ID list and the run history (a STATE_EDIT row) change. */
export function invalidateState(client: QueryClient, stateId: string) {
  return Promise.all([
    client.invalidateQueries({ queryKey: ['state', stateId] }),
    client.invalidateQueries({ queryKey: ['state-ids'] }),
  ]);
}

/** The state as the user typed it, and parsed (for the types and checks). */
export interface StateText {
  text: string;
  state: SingerStateInput;
}

/**
 * The body sent: the typed text itself, not JSON.stringify of what JSON.parse made of it, so a
 * bookmark id above 2^53 or a `1.0` reaches Meltano unchanged.
 */
export const stateBody = (input: StateText) => `{"state": ${input.text}}`;
