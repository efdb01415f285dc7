import { useQueryClient } from '@tanstack/react-query';
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../lib/api-client';
import type { LogChunk, Run } from '../../../lib/api-types';
import type { LogChunkQuery } from '../../../lib/log-api-types';
import { logChunkQueryOptions } from '../api/get-log-chunk';
import { type LogStreamState, openLogStream } from '../api/log-stream';
import { LogBuffer, overflow } from '../model/log-buffer';

export type WindowStatus = 'loading' | 'ready' | 'no-log' | 'error';
/** The live stream's state; `ended` once the server said the run finished and all was sent. */
export type FollowState = LogStreamState | 'ended';
export type ScrollTarget = { kind: 'end' } | { kind: 'line'; line: number };

// A page is a few thousand lines: few requests when scrolling, little work per request.
const PAGE_BYTES = 512 * 1024;
// Lines above a line opened from a link, so it is not at the very top with nothing to read before.
const CONTEXT_BYTES = 32 * 1024;
// What stays loaded. Virtualised drawing does not care about the count; memory does.
export const MAX_LINES = 200_000;
const MAX_CHARS = 32 * 1024 * 1024;
// Live text is added at most this often, so a chatty log re-renders a few times a second.
const FLUSH_MS = 100;
// How often to ask for the line numbers the server was still counting (a large log's first look).
const NUMBERING_RETRY_MS = 400;

export interface LogWindowOptions {
  runId: number;
  /** The run may still write (running, or presumed dead): follow the end of the file live. */
  followable: boolean;
  /** True while the reader sits at the bottom; then old lines may be dropped to make room. */
  followingRef: RefObject<boolean>;
  onRun(run: Run): void;
  onRunEnded(): void;
}

/**
 * The part of a run's log that is loaded, and how it moves: opened at the end (or at a line),
 * extended a page at a time towards either end, and followed live over SSE while it reaches the end
 * of the file. Reads stay proportional to what is shown; at most MAX_LINES lines are kept.
 */
export function useLogWindow({ runId, followable, followingRef, onRun, onRunEnded }: LogWindowOptions) {
  const queryClient = useQueryClient();
  const bufferRef = useRef(new LogBuffer());
  const windowId = useRef(0);
  const [version, setVersion] = useState(0);
  const [windowKey, setWindowKey] = useState(0);
  const [status, setStatus] = useState<WindowStatus>('loading');
  const statusRef = useRef(status);
  statusRef.current = status;
  const [error, setError] = useState<Error | null>(null);
  const [atStart, setAtStart] = useState(false);
  const [atEnd, setAtEnd] = useState(false);
  const [paging, setPaging] = useState<'older' | 'newer' | null>(null);
  const [pageError, setPageError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [follow, setFollow] = useState<FollowState>('connecting');
  const [streamKey, setStreamKey] = useState(0);
  const [scrollRequest, setScrollRequest] = useState<{ seq: number; target: ScrollTarget } | null>(null);

  const fetchChunk = useCallback(
    (query: LogChunkQuery) => queryClient.fetchQuery(logChunkQueryOptions(runId, query)),
    [queryClient, runId],
  );
  const bump = useCallback(() => setVersion((v) => v + 1), []);

  /** Shows `buffer` as the new window (replacing whatever was loaded) and scrolls to `target`. */
  const show = useCallback(
    (id: number, buffer: LogBuffer, eof: boolean, target: ScrollTarget) => {
      if (id !== windowId.current) return;
      bufferRef.current = buffer;
      setAtStart(buffer.startOffset === 0);
      setAtEnd(eof);
      setStatus('ready');
      setPageError(null);
      setWindowKey(id);
      setScrollRequest((r) => ({ seq: (r?.seq ?? 0) + 1, target }));
      bump();
    },
    [bump],
  );

  const fail = useCallback(
    (id: number, err: unknown) => {
      if (id !== windowId.current) return;
      if (err instanceof ApiError && err.code === 'log_not_found') {
        bufferRef.current = new LogBuffer();
        setAtStart(true);
        setAtEnd(true);
        setStatus('no-log');
        setWindowKey(id);
        bump();
        return;
      }
      const error = err instanceof Error ? err : new Error(String(err));
      // With lines on screen, a failed jump elsewhere leaves them there and says why.
      if (statusRef.current === 'ready') {
        setNotice(`Could not load that part of the log: ${error.message}`);
        return;
      }
      setError(error);
      setStatus('error');
    },
    [bump],
  );

  const openTail = useCallback(async () => {
    const id = ++windowId.current;
    try {
      const chunk = await fetchChunk({ from_end: true, length: PAGE_BYTES });
      show(id, LogBuffer.from(chunk), chunk.eof, { kind: 'end' });
    } catch (err) {
      fail(id, err);
    }
  }, [fetchChunk, show, fail]);

  const openAtLine = useCallback(
    async (line: number) => {
      const id = ++windowId.current;
      try {
        const chunk = await fetchChunk({ line, length: PAGE_BYTES });
        const buffer = LogBuffer.from(chunk);
        if (chunk.offset > 0) {
          const before = await fetchChunk({ end: chunk.offset, length: CONTEXT_BYTES });
          buffer.prepend(before.text, before.offset, before.first_line);
        }
        show(id, buffer, chunk.eof, { kind: 'line', line });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'line_out_of_range' && id === windowId.current) {
          const lines = Number(err.details?.lines ?? 0);
          setNotice(`Line ${line} is past the end of this log, which has ${lines.toLocaleString()} lines.`);
          await openTail();
          return;
        }
        fail(id, err);
      }
    },
    [fetchChunk, show, fail, openTail],
  );

  /** The file no longer matches what is shown (truncated, replaced): start again from its end. */
  const reload = useCallback(
    (message: string) => {
      setNotice(message);
      void openTail();
    },
    [openTail],
  );

  const loadPage = useCallback(
    async (direction: 'older' | 'newer') => {
      if (paging !== null || status !== 'ready') return;
      if (direction === 'older' ? atStart : atEnd) return;
      const id = windowId.current;
      const buffer = bufferRef.current;
      setPaging(direction);
      try {
        if (direction === 'older') {
          const chunk = await fetchChunk({ end: buffer.startOffset, length: PAGE_BYTES });
          if (id !== windowId.current) return;
          buffer.prepend(chunk.text, chunk.offset, chunk.first_line);
          setAtStart(chunk.offset === 0);
          const excess = overflow(buffer, MAX_LINES, MAX_CHARS, true);
          if (excess > 0) {
            buffer.dropEnd(excess);
            setAtEnd(false);
          }
        } else {
          const chunk: LogChunk = await fetchChunk({ offset: buffer.endOffset, length: PAGE_BYTES });
          if (id !== windowId.current) return;
          buffer.append(chunk.text, chunk.offset + chunk.length);
          setAtEnd(chunk.eof);
          const excess = overflow(buffer, MAX_LINES, MAX_CHARS, false);
          if (excess > 0) {
            buffer.dropStart(excess);
            setAtStart(false);
          }
        }
        setPageError(null);
        bump();
      } catch (err) {
        if (id !== windowId.current) return;
        if (err instanceof ApiError && err.status === 416) {
          reload(
            'The log file became shorter than what was shown (truncated or replaced); reloaded its end.',
          );
        } else {
          setPageError(`Could not load ${direction} lines: ${(err as Error).message}`);
        }
      } finally {
        if (id === windowId.current) setPaging(null);
      }
    },
    [paging, status, atStart, atEnd, fetchChunk, reload, bump],
  );

  // The first look at the end of a large log comes back before the server has counted the lines
  // above it (first_line null): the lines show at once, unnumbered, and their numbers come later.
  // biome-ignore lint/correctness/useExhaustiveDependencies: asks again for each new window (windowKey); the buffer is read through its ref
  useEffect(() => {
    const buffer = bufferRef.current;
    if (status !== 'ready' || buffer.firstLine !== null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const ask = async () => {
      if (stopped || buffer.firstLine !== null) return;
      const seq = buffer.firstSeq;
      try {
        const chunk = await fetchChunk({ offset: buffer.startOffset, length: 4 });
        if (stopped || bufferRef.current !== buffer) return;
        if (chunk.first_line !== null) {
          if (buffer.firstLine === null) buffer.numberAt(seq, chunk.first_line);
          bump();
          return;
        }
      } catch (err) {
        // A file that shrank is reloaded by the paging and the stream; nothing to number here.
        if (err instanceof ApiError && err.status < 500) return;
      }
      timer = setTimeout(ask, NUMBERING_RETRY_MS);
    };
    timer = setTimeout(ask, NUMBERING_RETRY_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [status, windowKey]);

  const streamable = followable && atEnd && (status === 'ready' || status === 'no-log');
  // Handlers change identity each render; the stream reads the latest through a ref.
  const handlers = useRef({ onRun, onRunEnded, reload });
  handlers.current = { onRun, onRunEnded, reload };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the stream restarts for a new window (windowKey) or on request (streamKey), not when the buffer it appends to changes
  useEffect(() => {
    if (!streamable) return;
    const id = windowId.current;
    let pending = '';
    let pendingEnd = bufferRef.current.endOffset;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let close = () => {};

    const flush = () => {
      timer = undefined;
      if (id !== windowId.current || pending === '') return;
      const buffer = bufferRef.current;
      buffer.append(pending, pendingEnd);
      pending = '';
      setStatus('ready');
      const excess = overflow(buffer, MAX_LINES, MAX_CHARS, false);
      if (excess > 0 && followingRef.current) {
        buffer.dropStart(excess);
        setAtStart(false);
      } else if (excess > 0) {
        // Dropping lines above a reader who scrolled up would pull the text from under them.
        close();
        setAtEnd(false);
        setNotice('Live updates paused: this many lines are loaded. Jump to the latest lines to go on.');
      }
      bump();
    };

    close = openLogStream(runId, pendingEnd, {
      onLog(offset, text, end) {
        if (offset !== pendingEnd) {
          if (end <= pendingEnd) return; // already shown: replayed after a reconnection
          handlers.current.reload('The live log skipped ahead of what was shown; reloaded its end.');
          return;
        }
        pending += text;
        pendingEnd = end;
        timer ??= setTimeout(flush, FLUSH_MS);
      },
      onRun: (run) => handlers.current.onRun(run),
      onReset: () =>
        handlers.current.reload('The log file was truncated or replaced; showing it again from its end.'),
      onEnd: () => {
        clearTimeout(timer);
        flush();
        setFollow('ended');
        handlers.current.onRunEnded();
      },
      onProblem: (message) => setNotice(`The server could not read the log: ${message}`),
      onState: setFollow,
    });
    return () => {
      clearTimeout(timer);
      flush();
      close();
    };
  }, [runId, streamable, windowKey, streamKey]);

  return {
    buffer: bufferRef.current,
    version,
    status,
    error,
    atStart,
    atEnd,
    paging,
    pageError,
    notice,
    dismissNotice: () => setNotice(null),
    follow,
    /** Following live: the window reaches the end of the file and the stream is connected. */
    live: streamable && follow === 'open',
    scrollRequest,
    openTail,
    openAtLine,
    loadOlder: () => loadPage('older'),
    /** Lets paging try again after a failed page (it does not retry by itself). */
    retryPaging: () => setPageError(null),
    loadNewer: () => loadPage('newer'),
    reconnect: () => setStreamKey((k) => k + 1),
  };
}

export type LogWindow = ReturnType<typeof useLogWindow>;
