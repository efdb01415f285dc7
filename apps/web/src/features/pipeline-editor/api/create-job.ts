import { useMutation, useQueryClient } from '@tanstack/react-query';
import { refreshPipelines } from '../../../components/pipeline-edit/pipeline-queries';
import { answer, api } from '../../../lib/api-client';
import type { JobCreate } from '../../../lib/api-types';

export const createJob = (body: JobCreate) => answer(api.POST('/api/v1/jobs', { body }));

export const useCreateJob = () => {
  const client = useQueryClient();
  return useMutation({ mutationFn: createJob, onSuccess: () => refreshPipelines(client) });
};
