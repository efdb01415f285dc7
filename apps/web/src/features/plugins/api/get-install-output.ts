import { answer, api } from '../../../lib/api-client';
import type { InstallOutput } from '../../../lib/api-types';
import { type FollowedOutput, useFollowedOutput } from '../../../lib/followed-output';

export const getInstallOutput = (id: string, offset: number, signal?: AbortSignal) =>
  answer(
    api.GET('/api/v1/installs/{install}/output', {
      params: { path: { install: id }, query: { offset } },
      signal,
    }),
  );

/** What an install prints, appended as it arrives (see useFollowedOutput). */
export function useInstallOutput(id: string): FollowedOutput<InstallOutput['status']> {
  return useFollowedOutput(id, getInstallOutput);
}
