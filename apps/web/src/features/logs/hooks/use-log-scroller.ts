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
  const { firstLine, firstSeq } = buffer;
  const [atBottom, setAtBottom] = useState(true);
  // seq of the last line when the reader left the bottom: what came since is "new".
  const [leftAtSeq, setLeftAtSeq] = useState<number | null>(null);
  const justJumped = useRef(false);
  const handledRequest = useRef(0);
  // A line being scrolled to: until it is drawn, no page loads at the edges (they would move the view).
  const target = useRef<{ index: number; tries: number } | null>(null);

  const getItemKey = useCallback((index: number) => firstSeq + index, [firstSeq]);
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
    if (atBottom) setLeftAtSeq(null);
    else setLeftAtSeq((seq) => seq ?? buffer.lastSeq);
  }, [atBottom, buffer]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: row heights change with wrapping
  useEffect(() => virtualizer.measure(), [wrap, virtualizer]);

  // The frame can change size after the view settled (the header or a notice above it growing, the
  // window): a reader who was at the bottom stays there. Only scrolls say where the reader is (a
  // resize leaves scrollTop as it was, so the last line would slip out of view below), and until the
  // first scroll nobody is pinned (a view opened at a line must stay at that line).
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-attached once the lines are drawn
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    let pinned = false;
    let height = element.clientHeight;
    const onScroll = () => {
      pinned = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX;
    };
    const observer = new ResizeObserver(() => {
      if (element.clientHeight === height) return;
      height = element.clientHeight;
      if (pinned) virtualizer.scrollToEnd();
    });
    element.addEventListener('scroll', onScroll, { passive: true });
    observer.observe(element);
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', onScroll);
    };
  }, [virtualizer, log.status]);

  /**
   * Centres line `index` and checks on the next frames that it is drawn, scrolling again if not: right
   * after a new window is set (or on a busy machine) the scroll element may not have its final size yet.
   */
  const scrollToIndexSurely = useCallback(
    (index: number) => {
      target.current = { index, tries: 0 };
      virtualizer.scrollToIndex(index, { align: 'center' });
      const check = () => {
        const t = target.current;
        if (t === null || t.index !== index) return;
        const r = virtualizer.range;
        if (r !== null && index >= r.startIndex && index <= r.endIndex) {
          target.current = null;
          return;
        }
        if (++t.tries > 30) {
          target.current = null;
          return;
        }
        virtualizer.scrollToIndex(index, { align: 'center' });
        requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    },
    [virtualizer],
  );

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
    if (buffer.firstLine === null) return;
    const index = request.target.line - buffer.firstLine;
    if (index >= 0 && index < buffer.count) scrollToIndexSurely(index);
  }, [log.scrollRequest, log.version]);

  const range = virtualizer.range;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-checked whenever the view or the window moves
  useEffect(() => {
    // The range still shows where the view was before a jump; wait for the scroll it causes.
    if (justJumped.current) {
      justJumped.current = false;
      return;
    }
    if (target.current !== null) return;
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
      if (buffer.firstLine === null) return false;
      const index = line - buffer.firstLine;
      if (index < 0 || index >= buffer.count) return false;
      scrollToIndexSurely(index);
      return true;
    },
    [scrollToIndexSurely, buffer],
  );

  return {
    virtualizer,
    atBottom,
    newLines: leftAtSeq === null || atBottom ? 0 : Math.max(0, buffer.lastSeq - leftAtSeq),
    /** First and last line numbers in view (null while the lines are not numbered yet). */
    viewport(): { first: number; last: number } | null {
      const r = virtualizer.range;
      if (r === null || firstLine === null) return null;
      return { first: firstLine + r.startIndex, last: firstLine + r.endIndex };
    },
    scrollToLine,
    scrollToEnd: () => virtualizer.scrollToEnd(),
    scrollToStart: () => virtualizer.scrollToIndex(0, { align: 'start' }),
  };
}
