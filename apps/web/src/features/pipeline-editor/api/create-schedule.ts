import { useMutation, useQueryClient } from '@tanstack/react-query';
import { refreshPipelines } from '../../../components/pipeline-edit/pipeline-queries';
import { answer, api } from '../../../lib/api-client';
import type { ScheduleCreate } from '../../../lib/api-types';

export const createSchedule = (body: ScheduleCreate) => answer(api.POST('/api/v1/schedules', { body }));

export const useCreateSchedule = () => {
  const client = useQueryClient();
  return useMutation({ mutationFn: createSchedule, onSuccess: () => refreshPipelines(client) });
};
