import { useMutation, useQueryClient } from '@tanstack/react-query';
import { refreshPipelines } from '../../../components/pipeline-edit/pipeline-queries';
import { answer, api, ifMatch } from '../../../lib/api-client';
import type { SchedulePatch } from '../../../lib/api-types';

export interface UpdateSchedule {
  name: string;
  /** The version the form was filled from: a schedule changed on disk since answers 409. */
  version: string;
  patch: SchedulePatch;
}

export const updateSchedule = ({ name, version, patch }: UpdateSchedule) =>
  answer(
    api.PATCH('/api/v1/schedules/{name}', {
      params: { path: { name }, header: ifMatch(version) },
      body: patch,
    }),
  );

export const useUpdateSchedule = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: updateSchedule,
    onSuccess: (written, { name }) =>
      refreshPipelines(client, written.name === name ? undefined : { kind: 'schedule', name }),
  });
};
