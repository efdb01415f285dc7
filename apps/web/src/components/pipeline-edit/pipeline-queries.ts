import type { QueryClient } from '@tanstack/react-query';

export type PipelineKind = 'schedule' | 'job';

/** `/schedules` or `/jobs`, and `/schedules/<name>` with the name escaped. */
export const collection = (kind: PipelineKind) => (kind === 'job' ? '/jobs' : '/schedules');
export const entityPath = (kind: PipelineKind, name: string) =>
  `${collection(kind)}/${encodeURIComponent(name)}`;

/**
 * After a schedule or job changed in meltano.yml: the lists, what refers to them (plugins' `used_by`,
 * state ID owners, the project's counts). `gone` is a name that no longer exists (renamed or deleted):
 * its cached detail is dropped rather than refetched into a 404.
 */
export function refreshPipelines(client: QueryClient, gone?: { kind: PipelineKind; name: string }) {
  if (gone) client.removeQueries({ queryKey: [`${gone.kind}s`, gone.name], exact: true });
  for (const key of ['schedules', 'jobs', 'state-ids', 'project', 'plugins']) {
    void client.invalidateQueries({ queryKey: [key] });
  }
}
