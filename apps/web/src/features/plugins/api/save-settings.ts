import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Change, Outcome, Outcomes } from '../model/setting-form';
import { failedOutcome } from '../model/setting-outcome';
import { savedMessage, unsetMessage } from '../model/setting-stores';
import { setSetting, unsetSetting } from './write-setting';

interface SaveContext {
  type: string;
  name: string;
  environment: string | null;
  projectReadonly: boolean;
}

/**
 * Save sends the changed settings one after another, each with the version its draft started from: the
 * server writes one file per setting (meltano.yml, .env) and one at a time keeps those writes in order.
 * One refusal does not stop the rest; every field gets its own outcome.
 */
export async function saveChanges(ctx: SaveContext, changes: readonly Change[]): Promise<Outcomes> {
  const outcomes: Record<string, Outcome> = {};
  for (const change of changes) {
    const target = {
      type: ctx.type,
      name: ctx.name,
      environment: ctx.environment,
      setting: { name: change.name, version: change.version },
    };
    try {
      if (change.action === 'set') {
        const written = await setSetting(target, change.value);
        outcomes[change.name] = {
          status: 'saved',
          message: savedMessage(written, ctx.environment, ctx.projectReadonly),
        };
      } else {
        const removed = await unsetSetting(target);
        outcomes[change.name] = {
          status: 'saved',
          message: unsetMessage(removed.removed_from ?? [], ctx.environment),
        };
      }
    } catch (error) {
      outcomes[change.name] = failedOutcome(error as Error);
    }
  }
  return outcomes;
}

/** The form's Save; the plugin's settings are read again afterwards, whatever the outcomes. */
export function useSaveSettings(ctx: SaveContext) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: readonly Change[]) => saveChanges(ctx, changes),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['plugins', ctx.type, ctx.name, 'settings'] }),
  });
}
