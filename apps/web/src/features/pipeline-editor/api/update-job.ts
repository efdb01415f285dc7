import { useMutation, useQueryClient } from '@tanstack/react-query';
import { refreshPipelines } from '../../../components/pipeline-edit/pipeline-queries';
import { answer, api, ifMatch } from '../../../lib/api-client';
import type { JobPatch } from '../../../lib/api-types';

export interface UpdateJob {
  name: string;
  /** The version the form was filled from: a job changed on disk since answers 409. */
  version: string;
  patch: JobPatch;
}

export const updateJob = ({ name, version, patch }: UpdateJob) =>
  answer(
    api.PATCH('/api/v1/jobs/{name}', { params: { path: { name }, header: ifMatch(version) }, body: patch }),
  );

export const useUpdateJob = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: updateJob,
    onSuccess: (written, { name }) =>
      refreshPipelines(client, written.name === name ? undefined : { kind: 'job', name }),
  });
};
