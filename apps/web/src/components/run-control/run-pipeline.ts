import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../lib/api-client';

export type PipelineRef = { kind: 'schedule' | 'job'; name: string };

export const runPipeline = ({ kind, name }: PipelineRef) => {
  const init = { params: { path: { name } } };
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
