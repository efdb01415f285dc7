import { useCallback, useEffect, useRef, useState } from 'react';
import { type FilteredLogLine, getLogLines } from '../api/get-log-lines';
import { filterQuery, type LogFilter } from '../model/log-filter';

// Enough lines to fill a screen or two before the first answer shows; more come on request.
const FIRST_LINES = 300;
// Each request reads at most 32 MiB on the server; a sparse filter over a huge log takes several.
const MAX_STEPS = 8;
const POLL_MS = 2000;
// What stays loaded, like the unfiltered window.
const MAX_LINES = 100_000;

export interface FilteredLogState {
  lines: FilteredLogLine[];
  status: 'loading' | 'ready' | 'error' | 'no-log';
  error: string | null;
  /** Every line before the first one loaded was looked at. */
  complete: boolean;
  /** Share of the file looked at, 0–1. */
  progress: number;
  paging: boolean;
}

/**
 * The lines of a run's log that pass a filter, filtered on the server over the whole file: loaded
 * from the end backward (as the unfiltered view opens at the end), older ones on request, and
 * newer ones polled while the run may still write.
 */
export function useFilteredLog(runId: number, filter: LogFilter | null, followable: boolean) {
  const [state, setState] = useState<FilteredLogState>({
    lines: [],
    status: 'loading',
    error: null,
    complete: false,
    progress: 0,
    paging: false,
  });
  const cursor = useRef({ start: 0, end: 0, size: 0, id: 0 });
  const key = filter === null ? null : JSON.stringify(filter);

  const loadOlder = useCallback(
    async (want: number, id: number, query: ReturnType<typeof filterQuery>, first: boolean) => {
      const found: FilteredLogLine[] = [];
      setState((s) => ({ ...s, paging: true }));
      try {
        for (let step = 0; step < MAX_STEPS && found.length < want; step += 1) {
          const before = first && step === 0 ? {} : { before: cursor.current.start };
          const page = await getLogLines(runId, { ...query, ...before, limit: Math.min(5000, want) });
          if (id !== cursor.current.id) return;
          if (first && step === 0) cursor.current.end = page.end;
          cursor.current.start = page.start;
          cursor.current.size = page.size;
          found.unshift(...page.lines);
          const progress = page.size > 0 ? 1 - page.start / page.size : 1;
          setState((s) => ({
            ...s,
            lines: page.lines.concat(first && step === 0 ? [] : s.lines).slice(0, MAX_LINES),
            status: 'ready',
            complete: page.complete,
            progress,
          }));
          if (page.complete) break;
        }
      } catch (err) {
        if (id !== cursor.current.id) return;
        const code = (err as { code?: string }).code;
        setState((s) => ({
          ...s,
          status: s.status === 'ready' ? 'ready' : code === 'log_not_found' ? 'no-log' : 'error',
          error: (err as Error).message,
        }));
      } finally {
        if (id === cursor.current.id) setState((s) => ({ ...s, paging: false }));
      }
    },
    [runId],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter (by value) starts again
  useEffect(() => {
    if (filter === null) return;
    const id = ++cursor.current.id;
    setState({ lines: [], status: 'loading', error: null, complete: false, progress: 0, paging: false });
    void loadOlder(FIRST_LINES, id, filterQuery(filter), true);
  }, [key, loadOlder]);

  // New lines of a running log: the filter goes on from where the last answer ended.
  // biome-ignore lint/correctness/useExhaustiveDependencies: restarts with the filter (by value)
  useEffect(() => {
    if (filter === null || !followable) return;
    const id = cursor.current.id;
    const query = filterQuery(filter);
    let busy = false;
    const timer = setInterval(async () => {
      if (busy || state.status === 'loading') return;
      busy = true;
      try {
        const page = await getLogLines(runId, { ...query, after: cursor.current.end });
        if (id !== cursor.current.id) return;
        cursor.current.end = page.end;
        if (page.lines.length > 0) setState((s) => ({ ...s, lines: s.lines.concat(page.lines) }));
      } catch {
        // the next poll tries again; the unfiltered view reports a broken stream
      } finally {
        busy = false;
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [key, followable, runId, state.status]);

  return {
    ...state,
    loadOlder: () => {
      if (filter === null || state.paging || state.complete) return;
      void loadOlder(FIRST_LINES, cursor.current.id, filterQuery(filter), false);
    },
  };
}
