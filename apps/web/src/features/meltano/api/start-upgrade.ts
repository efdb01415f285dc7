import { useMutation } from '@tanstack/react-query';
import { ApiError, answer, api } from '../../../lib/api-client';

/** `meltano upgrade`; a 409 `upgrade_running` means one runs already, and that one is followed. */
export async function startUpgrade(): Promise<{ id: string; alreadyRunning: boolean }> {
  try {
    const upgrade = await answer(api.POST('/api/v1/meltano/upgrade'));
    return { id: upgrade.id, alreadyRunning: false };
  } catch (error) {
    const running = error instanceof ApiError && error.status === 409 ? error.details?.upgrade_id : undefined;
    if (typeof running === 'string') return { id: running, alreadyRunning: true };
    throw error;
  }
}

export const useStartUpgrade = () => useMutation({ mutationFn: startUpgrade });
