import { useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Run } from '../../../lib/api-types';
import type { LogMatch } from '../../../lib/log-api-types';
import { logDownloadUrl } from '../api/get-log-chunk';
import { runQueryOptions } from '../api/get-run';
import { useFillHeight } from '../hooks/use-fill-height';
import { useFilteredLog } from '../hooks/use-filtered-log';
import { useLineSelection } from '../hooks/use-line-selection';
import { useLogScroller } from '../hooks/use-log-scroller';
import { useLogSearch } from '../hooks/use-log-search';
import { useLogWindow } from '../hooks/use-log-window';
import { useStoredFlag } from '../hooks/use-stored-flag';
import { queryPattern } from '../model/highlight';
import { describeFilter, isFiltered, type LogFilter, NO_FILTER } from '../model/log-filter';
import { ErrorFinder } from './error-finder';
import { FilteredLines } from './filtered-lines';
import { LogFilters } from './log-filters';
import { LogLines } from './log-lines';
import { LogNotices, LogPlaceholder } from './log-notices';
import { SearchBar } from './search-bar';
import '../log-filters.css';

// Below this width (a phone) long lines wrap unless the reader chose otherwise.
const narrowScreen = () => window.matchMedia?.('(max-width: 767px)').matches ?? false;

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
  const [wrap, setWrap] = useStoredFlag('meltano-ui.log-wrap', narrowScreen);
  const [bare, setBare] = useStoredFlag('meltano-ui.log-bare', false);
  const [filter, setFilter] = useState<LogFilter>(NO_FILTER);
  const filtered = isFiltered(filter);
  const filteredLog = useFilteredLog(run.id, filtered ? filter : null, followable);
  // A line to show once the unfiltered view is back (a click in the filtered view, a search match).
  const pendingLine = useRef<number | null>(null);
  const scrollRef = useRef<HTMLElement>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const scroller = useLogScroller(log, scrollRef, followingRef, wrap);
  const selection = useLineSelection();
  useFillHeight(frameRef);

  useEffect(() => onLiveChange(log.live), [log.live, onLiveChange]);

  const reveal = useCallback(
    (line: number) => {
      if (filtered) {
        pendingLine.current = line;
        setFilter(NO_FILTER);
      } else if (!scroller.scrollToLine(line)) void log.openAtLine(line);
    },
    [filtered, scroller, log.openAtLine],
  );
  const revealRef = useRef(reveal);
  revealRef.current = reveal;
  useEffect(() => {
    const line = pendingLine.current;
    if (filtered || line === null) return;
    pendingLine.current = null;
    // Two frames: the unhidden scroller is laid out and measured by the virtualizer before it scrolls.
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => {
        // The open filter panel may have pushed the log below the fold.
        frameRef.current?.scrollIntoView({ block: 'nearest' });
        revealRef.current(line);
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [filtered]);
  const onMatch = useCallback((match: LogMatch) => reveal(match.line), [reveal]);
  // Text search and the error finder keep their own results, shown each beside its own control.
  const search = useLogSearch(run.id, onMatch);
  const errors = useLogSearch(run.id, onMatch);
  const [lastFinder, setLastFinder] = useState<'text' | 'errors'>('text');
  const match = lastFinder === 'text' ? search.state.match : errors.state.match;
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
            onFind={(query, direction) => {
              setLastFinder('text');
              void search.find(query, direction, filtered ? null : scroller.viewport());
            }}
            onClear={search.cancel}
          />
          <ErrorFinder
            state={errors.state}
            disabled={!hasLog}
            onFind={() => {
              setLastFinder('errors');
              void errors.firstError();
            }}
          />
          <LogFilters filter={filter} onChange={setFilter} />
          <label className="log-wrap-toggle">
            <input type="checkbox" checked={wrap} onChange={(event) => setWrap(event.target.checked)} />
            Wrap lines
          </label>
          <label
            className="log-wrap-toggle"
            title="Hide Meltano's timestamp, level and key=value context, so copied text is the plugin's own output"
          >
            <input type="checkbox" checked={bare} onChange={(event) => setBare(event.target.checked)} />
            Plugin output only
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
        <LogNotices
          log={log}
          followable={followable}
          dead={run.status === 'stale'}
          atBottom={scroller.atBottom}
        />
      </div>
      <div ref={frameRef} className="log-frame-holder">
        {filtered ? (
          <FilteredLines
            label={`Lines of run ${run.id} matching ${describeFilter(filter)}`}
            filtered={filteredLog}
            description={describeFilter(filter)}
            wrap={wrap}
            bare={bare}
            pattern={pattern}
            onShowInContext={(line) => {
              selection.select(line, false);
              reveal(line);
            }}
          />
        ) : null}
        {/* Kept laid out under the filtered view (invisible), so the loaded window, its measurements
            and the live stream go on, and "show in context" scrolls at once. */}
        <div className={filtered ? 'log-frame-holder-inner log-frame-under' : 'log-frame-holder-inner'}>
          {hasLog && log.buffer.count > 0 ? (
            <LogLines
              label={`Log of run ${run.id}`}
              scrollRef={scrollRef}
              virtualizer={scroller.virtualizer}
              buffer={log.buffer}
              wrap={wrap}
              bare={bare}
              selection={selection.range}
              pattern={pattern}
              match={match}
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
      </div>
    </section>
  );
}
