import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../lib/api-client';
import type { RunOptions } from '../../lib/api-types';

export type PipelineRef = { kind: 'schedule' | 'job'; name: string };

export const runPipeline = ({ kind, name, options }: PipelineRef & { options?: RunOptions }) => {
  const init = { params: { path: { name } }, body: options ? { options } : {} };
  return answer(
    kind === 'job'
      ? api.POST('/api/v1/jobs/{name}/run', init)
      : api.POST('/api/v1/schedules/{name}/run', init),
  );
};

export const useRunPipeline = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: runPipeline,
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['schedules'] });
      void client.invalidateQueries({ queryKey: ['jobs'] });
      void client.invalidateQueries({ queryKey: ['runs'] });
    },
  });
};

/** Runs a failed or presumed-dead run's pipeline again with the same options. */
export const retryRun = (id: number) =>
  answer(api.POST('/api/v1/runs/{id}/retry', { params: { path: { id } } }));

export const useRetryRun = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: retryRun,
    onSettled: () => void client.invalidateQueries({ queryKey: ['runs'] }),
  });
};
