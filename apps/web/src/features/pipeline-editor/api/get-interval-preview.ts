import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet, queryString } from '../../../lib/api-client';
import type { IntervalPreview } from '../../../lib/api-types';

export const getIntervalPreview = (interval: string, signal?: AbortSignal) =>
  apiGet<IntervalPreview>(`/intervals/preview${queryString({ interval, count: 5 })}`, signal);

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
