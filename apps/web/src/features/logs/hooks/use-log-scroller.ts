import { useVirtualizer } from '@tanstack/react-virtual';
import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { LogWindow } from './use-log-window';

// Rows are measured once drawn (wrapped lines are taller); this is the one-line height in CSS.
const ROW_HEIGHT = 20;
// Load the next page when the view comes within this many lines of the loaded edge.
const EDGE_LINES = 40;
const BOTTOM_SLACK_PX = 4;

/**
 * Drawing and scrolling of the loaded lines: the virtualizer, sticking to the bottom while following
 * a live log (and letting go when the reader scrolls up), loading more as the view nears either
 * edge, and carrying out the window's scroll requests (to the end, to a line).
 */
export function useLogScroller(
  log: LogWindow,
  scrollRef: RefObject<HTMLElement | null>,
  followingRef: RefObject<boolean>,
  wrap: boolean,
) {
  const { buffer } = log;
  const firstLine = buffer.firstLine;
  const [atBottom, setAtBottom] = useState(true);
  // Line number of the last line when the reader left the bottom: what came since is "new".
  const [leftAtLine, setLeftAtLine] = useState<number | null>(null);
  const justJumped = useRef(false);
  const handledRequest = useRef(0);

  const getItemKey = useCallback((index: number) => firstLine + index, [firstLine]);
  const estimateSize = useCallback(() => ROW_HEIGHT, []);
  const virtualizer = useVirtualizer<HTMLElement, HTMLElement>({
    count: buffer.count,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey,
    overscan: 30,
    // Keeps the lines in view still when older lines are added above or lines dropped.
    anchorTo: 'end',
    followOnAppend: log.live,
    scrollEndThreshold: BOTTOM_SLACK_PX,
    onChange: (instance) => {
      const bottom = instance.getTotalSize() === 0 || instance.isAtEnd(BOTTOM_SLACK_PX);
      followingRef.current = bottom;
      setAtBottom(bottom);
    },
  });

  useEffect(() => {
    if (atBottom) setLeftAtLine(null);
    else setLeftAtLine((line) => line ?? buffer.lastLine);
  }, [atBottom, buffer]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: row heights change with wrapping
  useEffect(() => virtualizer.measure(), [wrap, virtualizer]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the window changes (version)
  useLayoutEffect(() => {
    const request = log.scrollRequest;
    if (request === null || request.seq === handledRequest.current) return;
    handledRequest.current = request.seq;
    justJumped.current = true;
    if (request.target.kind === 'end') {
      virtualizer.scrollToEnd();
      return;
    }
    const index = request.target.line - buffer.firstLine;
    if (index >= 0 && index < buffer.count) virtualizer.scrollToIndex(index, { align: 'center' });
  }, [log.scrollRequest, log.version]);

  const range = virtualizer.range;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-checked whenever the view or the window moves
  useEffect(() => {
    // The range still shows where the view was before a jump; wait for the scroll it causes.
    if (justJumped.current) {
      justJumped.current = false;
      return;
    }
    if (log.status !== 'ready' || log.paging !== null || log.pageError !== null || range === null) return;
    if (range.startIndex < EDGE_LINES && !log.atStart) void log.loadOlder();
    else if (range.endIndex > buffer.count - EDGE_LINES && !log.atEnd) void log.loadNewer();
  }, [
    range?.startIndex,
    range?.endIndex,
    log.version,
    log.status,
    log.paging,
    log.pageError,
    log.atStart,
    log.atEnd,
  ]);

  const scrollToLine = useCallback(
    (line: number) => {
      const index = line - buffer.firstLine;
      if (index < 0 || index >= buffer.count) return false;
      virtualizer.scrollToIndex(index, { align: 'center' });
      return true;
    },
    [virtualizer, buffer],
  );

  return {
    virtualizer,
    atBottom,
    newLines: leftAtLine === null || atBottom ? 0 : Math.max(0, buffer.lastLine - leftAtLine),
    /** First and last line numbers in view. */
    viewport(): { first: number; last: number } | null {
      const r = virtualizer.range;
      return r === null ? null : { first: firstLine + r.startIndex, last: firstLine + r.endIndex };
    },
    scrollToLine,
    scrollToEnd: () => virtualizer.scrollToEnd(),
    scrollToStart: () => virtualizer.scrollToIndex(0, { align: 'start' }),
  };
}
