import { type CSSProperties, type MouseEvent, memo } from 'react';
import { type AnsiSegment, type AnsiStyle, parseAnsi } from '../model/ansi';
import { bareLine } from '../model/bare-line';
import { type DrawnSegment, markMatches } from '../model/highlight';
import { hasPrefix, isTraceback, levelOf, meltanoPrefix } from '../model/line-kind';

// Drawing a line of megabytes would stall the page; past this, the rest is left to the download.
const MAX_DRAWN_CHARS = 20_000;

export interface LogLineProps {
  index: number;
  /** Its number; null while the server is still counting the lines of a large file. */
  line: number | null;
  raw: string;
  kind: number;
  top: number;
  selected: boolean;
  /** The current search match is on this line. */
  matched: boolean;
  pattern: RegExp | null;
  /** The current search match when it is on this line (raw columns). */
  current: { column: number; length: number } | null;
  /** Without Meltano's timestamp, level and key=value context: the plugin's own text. */
  bare: boolean;
  measure: (element: HTMLElement | null) => void;
  onSelect: (line: number, extend: boolean) => void;
}

/** One log line: its number (a link to it) and its text with colours, level and search marks. */
export const LogLine = memo(function LogLine(props: LogLineProps) {
  const { index, line, kind, top, selected, matched, pattern, measure, onSelect } = props;
  const shown = props.bare ? bareLine(props.raw) : { text: props.raw, cut: 0 };
  const raw = shown.text;
  const current =
    props.current && props.current.column >= shown.cut
      ? { ...props.current, column: props.current.column - shown.cut }
      : null;
  const level = levelOf(kind);
  const classes = ['log-line'];
  if (level === 'error' || level === 'critical' || level === 'warning' || level === 'debug') {
    classes.push(`log-line--${level}`);
  }
  if (isTraceback(kind)) classes.push('log-line--traceback');
  if (selected) classes.push('log-line--selected');
  if (matched) classes.push('log-line--match');
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    if (line !== null) onSelect(line, event.shiftKey);
  };
  const cut = raw.length > MAX_DRAWN_CHARS;
  const segments = markMatches(
    drawnSegments(cut ? raw.slice(0, MAX_DRAWN_CHARS) : raw, kind),
    pattern,
    current,
  );
  return (
    <li
      ref={measure}
      data-index={index}
      value={line ?? undefined}
      aria-current={selected ? 'location' : undefined}
      className={classes.join(' ')}
      style={{ transform: `translateY(${top}px)` }}
    >
      {line === null ? (
        <span className="log-ln" aria-hidden="true" />
      ) : (
        <a className="log-ln" href={`#L${line}`} onClick={onClick} aria-label={`Line ${line}`}>
          {line}
        </a>
      )}
      <span className="log-text">
        {segments.map((segment) => (
          <Segment key={segment.rawStart} segment={segment} />
        ))}
        {segments.length === 0 ? ' ' : null}
        {cut ? (
          <span className="log-cut">
            {' '}
            … {(raw.length - MAX_DRAWN_CHARS).toLocaleString()} more characters (download the log to read
            them)
          </span>
        ) : null}
      </span>
    </li>
  );
});

function Segment({ segment }: { segment: DrawnSegment }) {
  const { className, style } = ansiAppearance(segment.style);
  const classes = [segment.className, className].filter(Boolean).join(' ') || undefined;
  const content =
    classes || style ? (
      <span className={classes} style={style}>
        {segment.text}
      </span>
    ) : (
      segment.text
    );
  if (segment.mark === undefined) return content;
  return (
    <mark className={segment.mark === 'current' ? 'log-mark log-mark--current' : 'log-mark'}>{content}</mark>
  );
}

/** ANSI segments, with the timestamp and level column of a Meltano line set apart when plain. */
function drawnSegments(raw: string, kind: number): DrawnSegment[] {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const segments: DrawnSegment[] = parseAnsi(text);
  const [first] = segments;
  if (!hasPrefix(kind) || first === undefined || first.style !== null || first.rawStart !== 0)
    return segments;
  const prefix = meltanoPrefix(first.text);
  if (prefix === null || prefix.levelEnd > first.text.length) return segments;
  const level = levelOf(kind) ?? 'info';
  const part = (from: number, to: number, className?: string): DrawnSegment => ({
    text: first.text.slice(from, to),
    rawStart: from,
    style: null,
    ...(className ? { className } : {}),
  });
  return [
    part(0, prefix.timestamp, 'log-ts'),
    part(prefix.timestamp, prefix.levelStart),
    part(prefix.levelStart, prefix.levelEnd, `log-level log-level--${level}`),
    ...(prefix.levelEnd < first.text.length ? [part(prefix.levelEnd, first.text.length)] : []),
    ...segments.slice(1),
  ].filter((s) => s.text !== '');
}

function ansiAppearance(style: AnsiSegment['style']): { className?: string; style?: CSSProperties } {
  if (style === null) return {};
  const { fg, bg } = style.inverse ? swap(style) : style;
  const classes: string[] = [];
  const css: CSSProperties = {};
  if (typeof fg === 'number') classes.push(`ansi-fg-${fg}`);
  else if (fg !== undefined) css.color = fg;
  if (typeof bg === 'number') classes.push(`ansi-bg-${bg}`);
  else if (bg !== undefined) css.backgroundColor = bg;
  if (style.inverse && fg === undefined) classes.push('ansi-inverse-fg');
  if (style.inverse && bg === undefined) classes.push('ansi-inverse-bg');
  if (style.bold) classes.push('ansi-bold');
  if (style.dim) classes.push('ansi-dim');
  if (style.italic) classes.push('ansi-italic');
  if (style.underline) classes.push('ansi-underline');
  if (style.strike) classes.push('ansi-strike');
  return {
    ...(classes.length ? { className: classes.join(' ') } : {}),
    ...(Object.keys(css).length ? { style: css } : {}),
  };
}

function swap(style: AnsiStyle): AnsiStyle {
  return { ...style, fg: style.bg, bg: style.fg };
}
