import { answer, api } from '../../../lib/api-client';
import type { UpgradeOutput } from '../../../lib/api-types';
import { type FollowedOutput, useFollowedOutput } from '../../../lib/followed-output';

export const getUpgradeOutput = (id: string, offset: number, signal?: AbortSignal) =>
  answer(
    api.GET('/api/v1/meltano/upgrades/{upgrade}/output', {
      params: { path: { upgrade: id }, query: { offset } },
      signal,
    }),
  );

/** What `meltano upgrade` prints, appended as it arrives (the same following as an install's). */
export function useUpgradeOutput(id: string | null): FollowedOutput<UpgradeOutput['status']> {
  return useFollowedOutput(id, getUpgradeOutput);
}
