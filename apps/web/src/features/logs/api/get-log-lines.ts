import type { paths } from '../../../lib/api.gen';
import { answer, api } from '../../../lib/api-client';

type LinesRoute = paths['/api/v1/runs/{id}/log/lines']['get'];
export type LogLinesQuery = NonNullable<LinesRoute['parameters']['query']>;
export type FilteredLog = LinesRoute['responses'][200]['content']['application/json'];
export type FilteredLogLine = FilteredLog['lines'][number];

/** One bounded step of a server-side filter: older matches before `start`, newer ones from `end`. */
export const getLogLines = (id: number, query: LogLinesQuery, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/runs/{id}/log/lines', { params: { path: { id }, query }, signal }));
