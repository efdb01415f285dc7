import { useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef } from 'react';
import type { Run } from '../../../lib/api-types';
import type { LogMatch } from '../../../lib/log-api-types';
import { logDownloadUrl } from '../api/get-log-chunk';
import { runQueryOptions } from '../api/get-run';
import { useFillHeight } from '../hooks/use-fill-height';
import { useLineSelection } from '../hooks/use-line-selection';
import { useLogScroller } from '../hooks/use-log-scroller';
import { useLogSearch } from '../hooks/use-log-search';
import { useLogWindow } from '../hooks/use-log-window';
import { useStoredFlag } from '../hooks/use-stored-flag';
import { queryPattern } from '../model/highlight';
import { LogLines } from './log-lines';
import { LogNotices, LogPlaceholder } from './log-notices';
import { SearchBar } from './search-bar';

export interface LogViewerProps {
  run: Run;
  /** The live stream is connected (it then pushes the run's changes, so polling can stop). */
  onLiveChange: (live: boolean) => void;
}

/** The run's log: opened at its end or at the linked line, searched, followed live. */
export function LogViewer({ run, onLiveChange }: LogViewerProps) {
  const queryClient = useQueryClient();
  const runKey = runQueryOptions(run.id).queryKey;
  const followable = run.status === 'running' || run.status === 'stale';
  const followingRef = useRef(true);
  const log = useLogWindow({
    runId: run.id,
    followable,
    followingRef,
    onRun: (next) => queryClient.setQueryData(runKey, next),
    onRunEnded: () => void queryClient.invalidateQueries({ queryKey: runKey }),
  });
  const [wrap, setWrap] = useStoredFlag('meltano-ui.log-wrap', false);
  const scrollRef = useRef<HTMLElement>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const scroller = useLogScroller(log, scrollRef, followingRef, wrap);
  const selection = useLineSelection();
  useFillHeight(frameRef);

  useEffect(() => onLiveChange(log.live), [log.live, onLiveChange]);

  const reveal = useCallback(
    (line: number) => {
      if (!scroller.scrollToLine(line)) void log.openAtLine(line);
    },
    [scroller, log.openAtLine],
  );
  const search = useLogSearch(
    run.id,
    useCallback((match: LogMatch) => reveal(match.line), [reveal]),
  );
  const pattern = useMemo(() => queryPattern(search.state.query), [search.state.query]);

  // Open once: at the linked line if there is one, else at the end.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the hash at load decides; later changes are handled below
  useEffect(() => {
    if (selection.range) void log.openAtLine(selection.range.start);
    else void log.openTail();
  }, [run.id]);

  // A hash changed from outside (a pasted link, back/forward): go there. Clicks are already in view.
  const start = selection.range?.start ?? null;
  const opened = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the hash only
  useEffect(() => {
    if (!opened.current) {
      opened.current = true;
      return;
    }
    if (start !== null && !selection.consumeOwnChange()) reveal(start);
  }, [start]);

  const jumpToLatest = () => {
    if (log.atEnd) scroller.scrollToEnd();
    else void log.openTail();
  };
  const jumpToStart = () => {
    if (log.atStart) scroller.scrollToStart();
    else void log.openAtLine(1);
  };

  const onLogKeys = (event: KeyboardEvent<HTMLElement>) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'End') {
      event.preventDefault();
      jumpToLatest();
    } else if ((event.ctrlKey || event.metaKey) && event.key === 'Home') {
      event.preventDefault();
      jumpToStart();
    }
  };
  // Browser find sees only the drawn lines; inside the viewer, Ctrl+F and / search the whole file.
  const onViewerKeys = (event: KeyboardEvent<HTMLElement>) => {
    const typing = event.target instanceof HTMLInputElement;
    if (((event.ctrlKey || event.metaKey) && event.key === 'f') || (event.key === '/' && !typing)) {
      event.preventDefault();
      searchInput.current?.focus();
    }
  };

  const hasLog = log.status === 'ready';
  return (
    <section className="log-viewer" aria-label="Run log" onKeyDown={onViewerKeys}>
      <div className="log-head">
        <div className="log-toolbar">
          <SearchBar
            inputRef={searchInput}
            state={search.state}
            onFind={(query, direction) => void search.find(query, direction, scroller.viewport())}
            onClear={search.cancel}
          />
          <button type="button" onClick={() => void search.firstError()} disabled={!hasLog}>
            Jump to first error
          </button>
          <label className="log-wrap-toggle">
            <input type="checkbox" checked={wrap} onChange={(event) => setWrap(event.target.checked)} />
            Wrap lines
          </label>
          <button type="button" onClick={jumpToStart} disabled={!hasLog}>
            Start of log
          </button>
          {log.status === 'no-log' ? null : (
            <a className="button" href={logDownloadUrl(run.id)} download>
              Download log
            </a>
          )}
        </div>
        <LogNotices log={log} followable={followable} atBottom={scroller.atBottom} />
      </div>
      <div ref={frameRef} className="log-frame-holder">
        {hasLog && log.buffer.count > 0 ? (
          <LogLines
            label={`Log of run ${run.id}`}
            scrollRef={scrollRef}
            virtualizer={scroller.virtualizer}
            buffer={log.buffer}
            wrap={wrap}
            selection={selection.range}
            pattern={pattern}
            match={search.state.match}
            onSelect={selection.select}
            onKeyDown={onLogKeys}
            top={
              log.paging === 'older' ? (
                <p className="log-paging log-paging--top">Loading older lines…</p>
              ) : null
            }
            bottom={
              !scroller.atBottom || !log.atEnd ? (
                <button type="button" className="log-jump" onClick={jumpToLatest}>
                  {log.live || followable ? 'Jump to latest' : 'Jump to end'}
                  {log.live && scroller.newLines > 0
                    ? ` (${scroller.newLines.toLocaleString()} new lines)`
                    : ''}
                </button>
              ) : null
            }
          />
        ) : (
          <LogPlaceholder log={log} followable={followable} onRetry={() => void log.openTail()} />
        )}
      </div>
    </section>
  );
}
