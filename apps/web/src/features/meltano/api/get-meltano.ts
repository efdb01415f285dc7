import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getMeltano = (signal?: AbortSignal) => answer(api.GET('/api/v1/meltano', { signal }));

/** The CLI's version and the newest on PyPI: asked once a minute (the server caches PyPI for hours). */
export const meltanoQueryOptions = () =>
  queryOptions({
    queryKey: ['meltano'],
    queryFn: ({ signal }) => getMeltano(signal),
    refetchInterval: 60_000,
    staleTime: 30_000,
  });

export const useMeltano = () => useQuery(meltanoQueryOptions());
