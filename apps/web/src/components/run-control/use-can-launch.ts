import { usePermission } from '../../api/get-identity';
import { useProject } from '../../api/get-project';
import type { Permission } from '../../lib/api-types';

/**
 * Whether "Run now" and "Install" can work: the user may operate, and the server found the Meltano CLI
 * (the project answer says so up front, so nobody has to click to learn runs are unavailable here).
 */
export function useCanLaunch(): Permission {
  const operate = usePermission('operate');
  const meltano = useProject().data?.meltano;
  if (operate.allowed && meltano && !meltano.available) {
    return { allowed: false, reason: meltano.reason ?? 'The Meltano CLI was not found on the server' };
  }
  return operate;
}
