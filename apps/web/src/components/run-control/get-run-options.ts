import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../../lib/api-client';
import type { PipelineRef } from './run-pipeline';

/** The run options the Meltano CLI found here offers for this pipeline (by its version and command). */
export const getRunOptions = ({ kind, name }: PipelineRef, signal?: AbortSignal) => {
  const init = { params: { path: { name } }, signal };
  return answer(
    kind === 'job'
      ? api.GET('/api/v1/jobs/{name}/run-options', init)
      : api.GET('/api/v1/schedules/{name}/run-options', init),
  );
};

/** Asked only while `enabled` (the dialog is open). */
export const useRunOptions = (pipeline: PipelineRef, enabled: boolean) =>
  useQuery({
    queryKey: ['run-options', pipeline.kind, pipeline.name],
    queryFn: ({ signal }) => getRunOptions(pipeline, signal),
    enabled,
  });
