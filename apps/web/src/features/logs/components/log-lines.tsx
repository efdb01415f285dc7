import type { Virtualizer } from '@tanstack/react-virtual';
import type { CSSProperties, KeyboardEvent, ReactNode, RefObject } from 'react';
import type { CurrentMatch } from '../hooks/use-log-search';
import { inRange, type LineRange } from '../model/line-hash';
import type { LogBuffer } from '../model/log-buffer';
import { LogLine } from './log-line';

export interface LogLinesProps {
  label: string;
  scrollRef: RefObject<HTMLElement | null>;
  virtualizer: Virtualizer<HTMLElement, HTMLElement>;
  buffer: LogBuffer;
  wrap: boolean;
  bare: boolean;
  selection: LineRange | null;
  pattern: RegExp | null;
  match: CurrentMatch | null;
  onSelect: (line: number, extend: boolean) => void;
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
  /** Drawn over the top of the lines (loading older lines…) and the bottom (jump to latest). */
  top: ReactNode;
  bottom: ReactNode;
}

/**
 * The scrolling region: only the lines in view (and a few around) are in the page, positioned in
 * a spacer as tall as all loaded lines, so 100,000 lines scroll like 100.
 */
export function LogLines(props: LogLinesProps) {
  const { label, scrollRef, virtualizer, buffer, wrap, selection, pattern, match } = props;
  const items = virtualizer.getVirtualItems();
  return (
    <div className="log-frame">
      {props.top}
      <section
        ref={scrollRef}
        className={`log-scroll${wrap ? ' log-scroll--wrap' : ''}`}
        aria-label={label}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll with the keyboard
        tabIndex={0}
        onKeyDown={props.onKeyDown}
      >
        <ol className="log-spacer" style={spacerStyle(virtualizer.getTotalSize(), buffer.lastLine)}>
          {items.map((item) => {
            const line = buffer.lineAt(item.index);
            const matched = match !== null && line !== null && match.line === line;
            const current =
              matched && match.column !== null ? { column: match.column, length: match.match_length } : null;
            return (
              <LogLine
                key={item.key}
                index={item.index}
                line={line}
                raw={buffer.lines[item.index] ?? ''}
                kind={buffer.kinds[item.index] ?? 0}
                top={item.start}
                selected={line !== null && inRange(selection, line)}
                matched={matched}
                pattern={pattern}
                current={current}
                bare={props.bare}
                measure={virtualizer.measureElement}
                onSelect={props.onSelect}
              />
            );
          })}
        </ol>
      </section>
      {props.bottom}
    </div>
  );
}

/**
 * All loaded lines' height, and the widest line number's digits so the gutter is even (while the
 * lines are not numbered yet — a large file — room for 8 digits, so numbering them moves little).
 */
function spacerStyle(height: number, lastLine: number | null): CSSProperties {
  return { height, '--ln-digits': String(lastLine ?? 10_000_000).length } as CSSProperties;
}
