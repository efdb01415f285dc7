import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getIntervalPreview = (interval: string, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/intervals/preview', { params: { query: { interval, count: 5 } }, signal }));

// Keeps the last answer on screen while the next one loads, so the preview does not flicker per keystroke.
export const intervalPreviewQueryOptions = (interval: string) =>
  queryOptions({
    queryKey: ['interval-preview', interval],
    queryFn: ({ signal }) => getIntervalPreview(interval, signal),
    enabled: interval.trim() !== '',
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

export const useIntervalPreview = (interval: string) => useQuery(intervalPreviewQueryOptions(interval));
