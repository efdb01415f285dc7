import { axisTime } from '../../lib/format';
import type { TimeZoneMode } from '../../lib/time-zone';

// The geometry the per-run bar charts of a pipeline page share (durations, records): one fixed-width
// bar per run, oldest left, a y-scale on the left and start times along the bottom.
export const PLOT_HEIGHT = 140;
export const TOP = 8;
export const LEFT = 44;
export const BOTTOM = 22;
export const BAR = 10;
export const GAP = 4;
const LABEL_SPACING = 84;
// Room for a line's label and two time labels even with only a few bars.
const MIN_PLOT_WIDTH = 280;

export interface BarFrame {
  width: number;
  height: number;
  /** The y of a value on a scale whose top is `max`. */
  y: (value: number) => number;
  /** The left edge of bar `i`. */
  x: (i: number) => number;
}

export function barFrame(bars: number, max: number): BarFrame {
  const width = LEFT + Math.max(bars * (BAR + GAP), MIN_PLOT_WIDTH) + GAP;
  return {
    width,
    height: TOP + PLOT_HEIGHT + BOTTOM,
    y: (value) => TOP + PLOT_HEIGHT - (max > 0 ? value / max : 0) * PLOT_HEIGHT,
    x: (i) => LEFT + i * (BAR + GAP),
  };
}

/** The y-scale with its grid lines and unit, and as many start times under the bars as fit. */
export function BarAxis({
  frame,
  ticks,
  label,
  unit,
  starts,
  zone,
}: {
  frame: BarFrame;
  ticks: number[];
  label: (value: number) => string;
  /** Short ("s", "min"); none where the caption names what is counted. */
  unit?: string;
  /** Start time (ms) per bar, oldest first. */
  starts: number[];
  zone: TimeZoneMode;
}) {
  const span = (starts.at(-1) ?? 0) - (starts[0] ?? 0);
  const count = Math.min(starts.length, Math.floor((starts.length * (BAR + GAP)) / LABEL_SPACING) + 1);
  const labelled = new Set(
    Array.from({ length: count }, (_, k) =>
      count === 1 ? 0 : Math.round((k * (starts.length - 1)) / (count - 1)),
    ),
  );
  return (
    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a <g> is not focusable; the scale is decoration, each bar's link names its value
    <g className="axis" aria-hidden="true">
      {ticks.map((t) => (
        <g key={t}>
          <line
            x1={LEFT}
            x2={frame.width}
            y1={frame.y(t)}
            y2={frame.y(t)}
            className={t === 0 ? 'baseline' : 'grid'}
          />
          <text x={LEFT - 6} y={frame.y(t)} dy="0.32em" textAnchor="end">
            {label(t)}
          </text>
        </g>
      ))}
      {unit ? (
        <text x={4} y={TOP - 1} dy="0.6em" className="unit">
          {unit}
        </text>
      ) : null}
      {starts.map((start, i) =>
        labelled.has(i) ? (
          <text
            // biome-ignore lint/suspicious/noArrayIndexKey: one label per bar position
            key={i}
            x={frame.x(i) + BAR / 2}
            y={TOP + PLOT_HEIGHT + 15}
            textAnchor={i === 0 ? 'start' : i === starts.length - 1 ? 'end' : 'middle'}
          >
            {axisTime(start, span, zone)}
          </text>
        ) : null,
      )}
    </g>
  );
}
