import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api, ifMatch } from '../../lib/api-client';
import { type PipelineKind, refreshPipelines } from './pipeline-queries';

export interface DeleteRequest {
  kind: PipelineKind;
  name: string;
  /** The version the user saw: if the file changed since, the server answers 409 and deletes nothing. */
  version: string;
}

export const deletePipeline = ({ kind, name, version }: DeleteRequest) => {
  const init = { params: { path: { name }, header: ifMatch(version) } };
  return answer(
    kind === 'job' ? api.DELETE('/api/v1/jobs/{name}', init) : api.DELETE('/api/v1/schedules/{name}', init),
  );
};

export const useDeletePipeline = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: deletePipeline,
    onSuccess: (_written, { kind, name }) => refreshPipelines(client, { kind, name }),
    // Refused because it changed on disk (409): re-read it, so the page shows what would be deleted.
    onError: () => refreshPipelines(client),
  });
};
