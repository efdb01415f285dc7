// The log routes' query and result shapes, from the types generated from openapi.json (api.gen.ts).
import type { paths } from './api.gen';

type LogRoute = paths['/api/v1/runs/{id}/log']['get'];
type SearchRoute = paths['/api/v1/runs/{id}/log/search']['get'];

export type LogChunkQuery = NonNullable<LogRoute['parameters']['query']>;
export type LogSearchQuery = NonNullable<SearchRoute['parameters']['query']>;
export type LogSearchResult = SearchRoute['responses'][200]['content']['application/json'];
export type LogMatch = NonNullable<LogSearchResult['match']>;
