import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../lib/api-client';
import type { Launch } from '../../lib/api-types';

export type PipelineRef = { kind: 'schedule' | 'job'; name: string };

export const runPipeline = ({ kind, name }: PipelineRef) =>
  apiPost<Launch>(`/${kind === 'job' ? 'jobs' : 'schedules'}/${encodeURIComponent(name)}/run`);

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
