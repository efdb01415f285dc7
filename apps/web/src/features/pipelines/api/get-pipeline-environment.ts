import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export type PipelineKind = 'schedule' | 'job';

/** `environment` undefined: the one a run would use (the server decides); null: no environment at all. */
export const getPipelineEnvironment = (
  kind: PipelineKind,
  name: string,
  environment: string | null | undefined,
  signal?: AbortSignal,
) => {
  const init = {
    params: { path: { name }, query: environment === null ? { no_environment: true } : { environment } },
    signal,
  };
  return answer(
    kind === 'job'
      ? api.GET('/api/v1/jobs/{name}/environment', init)
      : api.GET('/api/v1/schedules/{name}/environment', init),
  );
};

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
