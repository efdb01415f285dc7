import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api, ifMatch } from '../../../lib/api-client';
import type { EnvironmentPatch } from '../../../lib/api-types';
import { refreshAfterEnvironmentWrite } from './refresh';

export interface UpdateEnvironment {
  name: string;
  /** The version the form was filled from: an environment changed on disk since answers 409. */
  version: string;
  patch: EnvironmentPatch;
  /** Only say what would change (state IDs a rename moves), write nothing. */
  dryRun?: boolean;
}

export const updateEnvironment = ({ name, version, patch, dryRun }: UpdateEnvironment) =>
  answer(
    api.PATCH('/api/v1/environments/{name}', {
      params: {
        path: { name },
        query: { dry_run: dryRun === true ? true : undefined },
        header: ifMatch(version),
      },
      body: patch,
    }),
  );

export const useUpdateEnvironment = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: updateEnvironment,
    onSuccess: (_written, { dryRun }) => (dryRun ? undefined : refreshAfterEnvironmentWrite(client)),
  });
};
