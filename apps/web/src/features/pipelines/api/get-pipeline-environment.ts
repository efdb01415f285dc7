import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet, queryString } from '../../../lib/api-client';
import type { PipelineEnvironment } from '../../../lib/api-types';

export type PipelineKind = 'schedule' | 'job';

/** `environment` undefined: the one a run would use (the server decides); null: no environment at all. */
export const getPipelineEnvironment = (
  kind: PipelineKind,
  name: string,
  environment: string | null | undefined,
  signal?: AbortSignal,
) =>
  apiGet<PipelineEnvironment>(
    `/${kind}s/${encodeURIComponent(name)}/environment${queryString(
      environment === null ? { no_environment: true } : { environment },
    )}`,
    signal,
  );

export const pipelineEnvironmentQueryOptions = (
  kind: PipelineKind,
  name: string,
  environment: string | null | undefined,
) =>
  queryOptions({
    queryKey: [`${kind}s`, name, 'environment', environment === undefined ? '(default)' : environment],
    queryFn: ({ signal }) => getPipelineEnvironment(kind, name, environment, signal),
  });

export const usePipelineEnvironment = (
  kind: PipelineKind,
  name: string,
  environment: string | null | undefined,
) => useQuery(pipelineEnvironmentQueryOptions(kind, name, environment));
