import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LogMatch, LogSearchQuery } from '../../../lib/log-api-types';
import { logSearchQueryOptions } from '../api/search-log';

export type SearchStatus = 'idle' | 'searching' | 'found' | 'not-found' | 'error';

export interface CurrentMatch extends LogMatch {
  kind: 'text' | 'errors';
}

export interface SearchState {
  status: SearchStatus;
  /** The query of the last search (what matches are highlighted for). */
  query: string;
  match: CurrentMatch | null;
  /** Share of the file searched so far, 0–1, while a long search runs. */
  progress: number | null;
  /** The search went past the end (or start) of the file and on from the other end. */
  wrapped: boolean;
  message: string | null;
}

const IDLE: SearchState = {
  status: 'idle',
  query: '',
  match: null,
  progress: null,
  wrapped: false,
  message: null,
};

interface SearchRequest {
  kind: 'text' | 'errors';
  query: string;
  direction: 'forward' | 'backward';
  /** Where to start: after/before the current match, or from a line (the top of the view). */
  from: { offset: number } | { line: number } | null;
  wrap: boolean;
}

/**
 * Searches a run's log on the server, step after bounded step (each reads at most 32 MiB and says
 * where to continue), so a search through a huge file shows progress and stops when asked. Next and
 * previous go on from the current match and wrap around the file once, like a browser's find.
 */
export function useLogSearch(runId: number, reveal: (match: LogMatch) => void) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<SearchState>(IDLE);
  const searchId = useRef(0);
  const revealRef = useRef(reveal);
  revealRef.current = reveal;

  useEffect(
    () => () => {
      searchId.current += 1; // unmounted: let a running search stop
    },
    [],
  );

  const step = useCallback(
    (query: LogSearchQuery) =>
      queryClient.fetchQuery({ ...logSearchQueryOptions(runId, query), staleTime: 0 }),
    [queryClient, runId],
  );

  const run = useCallback(
    async (request: SearchRequest) => {
      const id = ++searchId.current;
      const base: LogSearchQuery = {
        kind: request.kind,
        direction: request.direction,
        ...(request.kind === 'text' ? { q: request.query } : {}),
      };
      const start =
        request.from === null
          ? {}
          : 'offset' in request.from
            ? { from: request.from.offset }
            : { from_line: request.from.line };
      setState((s) => ({
        ...s,
        status: 'searching',
        query: request.query,
        progress: null,
        wrapped: false,
        message: null,
      }));
      let query: LogSearchQuery = { ...base, ...start };
      let wrapped = false;
      // Where this search began, in bytes (the server resolves a line): after wrapping, it stops there.
      let origin: number | null = null;
      try {
        for (;;) {
          const result = await step(query);
          if (id !== searchId.current) return;
          origin ??= result.from;
          const at = result.resume_from;
          if (result.match) {
            const match: CurrentMatch = { ...result.match, kind: request.kind };
            setState({
              status: 'found',
              query: request.query,
              match,
              progress: null,
              wrapped,
              message: null,
            });
            revealRef.current(match);
            return;
          }
          const pastOrigin =
            wrapped && at !== null && (request.direction === 'forward' ? at >= origin : at <= origin);
          if (at !== null && !pastOrigin) {
            const done = request.direction === 'forward' ? at : result.size - at;
            setState((s) => ({ ...s, progress: result.size > 0 ? done / result.size : null }));
            query = { ...base, from: at };
            continue;
          }
          const fromEdge = request.direction === 'forward' ? origin === 0 : origin === result.size;
          if (request.wrap && !wrapped && !fromEdge) {
            wrapped = true;
            query = request.direction === 'forward' ? { ...base, from: 0 } : base;
            continue;
          }
          setState({
            status: 'not-found',
            query: request.query,
            match: null,
            progress: null,
            wrapped,
            message: request.kind === 'errors' ? 'No error markers in this log' : 'No matches',
          });
          return;
        }
      } catch (err) {
        if (id !== searchId.current) return;
        setState((s) => ({ ...s, status: 'error', progress: null, message: (err as Error).message }));
      }
    },
    [step],
  );

  return {
    state,
    /** Next (or previous) match of `query`; from the current match when it is one of `query`'s. */
    find(query: string, direction: 'forward' | 'backward', viewport: { first: number; last: number } | null) {
      const current = state.match?.kind === 'text' && state.query === query ? state.match : null;
      const from = current
        ? { offset: direction === 'forward' ? current.offset + 1 : current.offset }
        : viewport
          ? { line: direction === 'forward' ? viewport.first : viewport.last + 1 }
          : null;
      return run({ kind: 'text', query, direction, from, wrap: true });
    },
    firstError() {
      return run({ kind: 'errors', query: '', direction: 'forward', from: { offset: 0 }, wrap: false });
    },
    cancel() {
      searchId.current += 1;
      setState(IDLE);
    },
  };
}
