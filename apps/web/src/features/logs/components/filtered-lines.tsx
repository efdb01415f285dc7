import { useVirtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, useEffect, useMemo, useRef } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/states';
import type { useFilteredLog } from '../hooks/use-filtered-log';
import { stripAnsi } from '../model/ansi';
import { classifyLine, NO_KIND } from '../model/line-kind';
import { LogLine } from './log-line';

export interface FilteredLinesProps {
  label: string;
  filtered: ReturnType<typeof useFilteredLog>;
  description: string;
  wrap: boolean;
  bare: boolean;
  pattern: RegExp | null;
  /** A line number was clicked: show that line in the whole log. */
  onShowInContext: (line: number) => void;
}

/** The matching lines of a filtered log, numbered as in the whole file, newest at the bottom. */
export function FilteredLines(props: FilteredLinesProps) {
  const { filtered, wrap } = props;
  const scrollRef = useRef<HTMLElement>(null);
  const kinds = useMemo(() => {
    let previous = NO_KIND;
    return filtered.lines.map((l) => {
      previous = classifyLine(stripAnsi(l.text), previous);
      return previous;
    });
  }, [filtered.lines]);
  const virtualizer = useVirtualizer<HTMLElement, HTMLElement>({
    count: filtered.lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 20,
    getItemKey: (index) => filtered.lines[index]?.line ?? index,
    overscan: 30,
    anchorTo: 'end',
    followOnAppend: true,
  });
  // Opened at the end, like the whole log.
  const opened = useRef(false);
  useEffect(() => {
    if (!opened.current && filtered.lines.length > 0) {
      opened.current = true;
      virtualizer.scrollToIndex(filtered.lines.length - 1, { align: 'end' });
    }
  }, [filtered.lines.length, virtualizer]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: row heights change with wrapping
  useEffect(() => virtualizer.measure(), [wrap, props.bare, virtualizer]);

  if (filtered.status === 'loading') return <Loading what="the matching lines" />;
  if (filtered.status === 'no-log') return <Empty>This run has no log file.</Empty>;
  if (filtered.status === 'error') {
    return <ErrorState what="the matching lines" error={new Error(filtered.error ?? 'Unknown error')} />;
  }
  const scannedAll = filtered.complete;
  const count = filtered.lines.length;
  const matching = `${count.toLocaleString()} matching line${count === 1 ? '' : 's'}`;
  const top = (
    <p className="log-filter-edge">
      {scannedAll
        ? `${matching} in the whole log.`
        : `${matching} in the last ${Math.round(filtered.progress * 100)}% of the log.`}{' '}
      {scannedAll ? null : (
        <button type="button" className="link-button" onClick={filtered.loadOlder} disabled={filtered.paging}>
          {filtered.paging ? 'Looking further back…' : 'Load older matching lines'}
        </button>
      )}
    </p>
  );
  if (filtered.lines.length === 0) {
    return (
      <div className="log-frame log-frame--filtered">
        {top}
        <Empty>
          No lines match {props.description}
          {scannedAll ? '' : ' so far'}.
        </Empty>
      </div>
    );
  }
  const last = filtered.lines.at(-1)?.line ?? 1;
  return (
    <div className="log-frame log-frame--filtered">
      {top}
      <section
        ref={scrollRef}
        className={`log-scroll${wrap ? ' log-scroll--wrap' : ''}`}
        aria-label={props.label}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll with the keyboard
        tabIndex={0}
      >
        <ol
          className="log-spacer"
          style={{ height: virtualizer.getTotalSize(), '--ln-digits': String(last).length } as CSSProperties}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const line = filtered.lines[item.index];
            if (!line) return null;
            return (
              <LogLine
                key={item.key}
                index={item.index}
                line={line.line}
                raw={line.text}
                kind={kinds[item.index] ?? NO_KIND}
                top={item.start}
                selected={false}
                matched={false}
                pattern={props.pattern}
                current={null}
                bare={props.bare}
                measure={virtualizer.measureElement}
                onSelect={props.onShowInContext}
              />
            );
          })}
        </ol>
      </section>
    </div>
  );
}
