import { useMutation } from '@tanstack/react-query';
import { ApiError, answer, api } from '../../../lib/api-client';

/** The install to watch: the one just started, or the one already running for this plugin. */
export interface StartedInstall {
  id: string;
  alreadyRunning: boolean;
}

/** `meltano install <type> <name>`; a 409 means an install of it runs already, and that one is followed. */
export async function installPlugin({ type, name }: { type: string; name: string }): Promise<StartedInstall> {
  try {
    const install = await answer(
      api.POST('/api/v1/plugins/{type}/{name}/install', { params: { path: { type, name } } }),
    );
    return { id: install.id, alreadyRunning: false };
  } catch (error) {
    const running = error instanceof ApiError && error.status === 409 ? error.details?.install_id : undefined;
    if (typeof running === 'string') return { id: running, alreadyRunning: true };
    throw error;
  }
}

export const useInstallPlugin = () => useMutation({ mutationFn: installPlugin });
