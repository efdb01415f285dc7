import { useMutation, useQueryClient } from '@tanstack/react-query';
import { refreshPipelines } from '../../../components/pipeline-edit/pipeline-queries';
import { apiPost } from '../../../lib/api-client';
import type { ScheduleCreate, Written } from '../../../lib/api-types';

export const createSchedule = (body: ScheduleCreate) => apiPost<Written>('/schedules', body);

export const useCreateSchedule = () => {
  const client = useQueryClient();
  return useMutation({ mutationFn: createSchedule, onSuccess: () => refreshPipelines(client) });
};
