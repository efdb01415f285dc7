/** What the filter controls choose; an empty list keeps everything (as the server reads it). */
export interface LogFilter {
  levels: string[];
  sources: string[];
  stdios: string[];
}

export const NO_FILTER: LogFilter = { levels: [], sources: [], stdios: [] };

export const LEVEL_OPTIONS = [
  ['critical', 'Critical'],
  ['error', 'Error'],
  ['warning', 'Warning'],
  ['info', 'Info'],
  ['debug', 'Debug'],
] as const;
export const SOURCE_OPTIONS = [
  ['extractor', 'Extractor'],
  ['loader', 'Loader'],
  ['mapper', 'Mapper'],
  ['transformer', 'Transformer'],
  ['utility', 'Utility'],
  ['meltano', 'Meltano itself'],
] as const;
export const STDIO_OPTIONS = [
  ['stdout', 'stdout'],
  ['stderr', 'stderr'],
] as const;

export const isFiltered = (filter: LogFilter) =>
  filter.levels.length + filter.sources.length + filter.stdios.length > 0;

/** The filter as the `/log/lines` query: comma-separated lists, the empty ones left out. */
export function filterQuery(filter: LogFilter): { level?: string; source?: string; stdio?: string } {
  return {
    ...(filter.levels.length ? { level: filter.levels.join(',') } : {}),
    ...(filter.sources.length ? { source: filter.sources.join(',') } : {}),
    ...(filter.stdios.length ? { stdio: filter.stdios.join(',') } : {}),
  };
}

/** A short description for the toolbar and the status line: "Error, Warning · Extractor". */
export function describeFilter(filter: LogFilter): string {
  const names = (values: string[], options: readonly (readonly [string, string])[]) =>
    options.filter(([v]) => values.includes(v)).map(([, label]) => label);
  return [
    names(filter.levels, LEVEL_OPTIONS),
    names(filter.sources, SOURCE_OPTIONS),
    names(filter.stdios, STDIO_OPTIONS),
  ]
    .filter((part) => part.length > 0)
    .map((part) => part.join(', '))
    .join(' · ');
}
