import { useMutation, useQueryClient } from '@tanstack/react-query';
import { refreshPipelines } from '../../../components/pipeline-edit/pipeline-queries';
import { apiPost } from '../../../lib/api-client';
import type { JobCreate, Written } from '../../../lib/api-types';

export const createJob = (body: JobCreate) => apiPost<Written>('/jobs', body);

export const useCreateJob = () => {
  const client = useQueryClient();
  return useMutation({ mutationFn: createJob, onSuccess: () => refreshPipelines(client) });
};
