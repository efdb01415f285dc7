import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { ErrorState, Loading } from '../../components/states';
import { STATUS_LABELS } from '../../components/status-badge';
import type { Run } from '../../lib/api-types';
import { durationScale } from '../../lib/chart-scale';
import { absoluteTime, axisTime, duration } from '../../lib/format';
import { useTimeZone } from '../../lib/time-zone';
import { useRecentRuns } from './api/get-recent-runs';
import './duration-chart.css';

const PLOT_HEIGHT = 140;
const TOP = 8;
const LEFT = 44;
const BOTTOM = 22;
const BAR = 10;
const GAP = 4;
const LABEL_SPACING = 84;
// Room for the average's label and two time labels even with only a few bars.
const MIN_PLOT_WIDTH = 280;

const UNIT_NAMES = { s: 'seconds', min: 'minutes', h: 'hours' } as const;

/**
 * Duration of the recent runs, oldest left, one fixed-width bar per run with a y-scale, the average as
 * a dashed line and start times along the bottom. Each bar links to its run; hovering or focusing one
 * says which run it is under the chart (and in its SVG title).
 */
export function DurationChart({ stateIds }: { stateIds: string[] }) {
  const runs = useRecentRuns(stateIds);
  if (stateIds.length === 0) return null;
  if (runs.isPending) return <Loading what="recent runs" />;
  if (runs.isError) return <ErrorState what="recent runs" error={runs.error} />;
  const points = [...runs.data].reverse().filter((r) => r.started_at !== null);
  if (points.length === 0) return <p className="muted">No runs yet.</p>;
  return <Chart points={points} />;
}

function Chart({ points }: { points: Run[] }) {
  const navigate = useNavigate();
  const zone = useTimeZone();
  const titleId = useId();
  const [active, setActive] = useState<number | null>(null);
  const now = Date.now();
  const seconds = points.map(
    (r) => r.duration_seconds ?? Math.max(0, (now - Date.parse(r.started_at ?? '')) / 1000),
  );
  const longest = Math.max(...seconds, 0);
  const avg = seconds.reduce((a, b) => a + b, 0) / seconds.length;
  const scale = durationScale(longest);
  const y = (s: number) => TOP + PLOT_HEIGHT - (s / scale.max) * PLOT_HEIGHT;
  const barsWidth = points.length * (BAR + GAP);
  const width = LEFT + Math.max(barsWidth, MIN_PLOT_WIDTH) + GAP;
  const height = TOP + PLOT_HEIGHT + BOTTOM;
  const starts = points.map((r) => Date.parse(r.started_at ?? ''));
  const span = (starts.at(-1) ?? 0) - (starts[0] ?? 0);
  // Start times under evenly spaced bars, as many as fit without overlapping.
  const labelCount = Math.min(points.length, Math.floor(barsWidth / LABEL_SPACING) + 1);
  const labelled = new Set(
    Array.from({ length: labelCount }, (_, k) =>
      labelCount === 1 ? 0 : Math.round((k * (points.length - 1)) / (labelCount - 1)),
    ),
  );
  const label = (i: number) => {
    const r = points[i] as Run;
    return `Run #${r.id}: ${STATUS_LABELS[r.status]}, ${duration(seconds[i] ?? null)}, ${absoluteTime(r.started_at, zone)}`;
  };
  return (
    <figure className="chart duration-chart">
      <figcaption>
        Duration of the last {points.length} runs (longest {duration(longest)}, average {duration(avg)})
      </figcaption>
      <div className="duration-chart-scroll">
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-labelledby={titleId}>
          <title id={titleId}>
            Run durations in {UNIT_NAMES[scale.unit]}, oldest to newest; each bar links to its run
          </title>
          {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: a <g> is not focusable; the scale is decoration, each bar's link names its value */}
          <g className="axis" aria-hidden="true">
            {scale.ticks.map((t) => (
              <g key={t}>
                <line x1={LEFT} x2={width} y1={y(t)} y2={y(t)} className={t === 0 ? 'baseline' : 'grid'} />
                <text x={LEFT - 6} y={y(t)} dy="0.32em" textAnchor="end">
                  {scale.label(t)}
                </text>
              </g>
            ))}
            <text x={4} y={TOP - 1} dy="0.6em" className="unit">
              {scale.unit}
            </text>
            {points.map((r, i) =>
              labelled.has(i) ? (
                <text
                  key={r.id}
                  x={LEFT + i * (BAR + GAP) + BAR / 2}
                  y={TOP + PLOT_HEIGHT + 15}
                  textAnchor={i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle'}
                >
                  {axisTime(starts[i] ?? 0, span, zone)}
                </text>
              ) : null,
            )}
          </g>
          {points.map((r, i) => {
            const s = seconds[i] ?? 0;
            const top = Math.min(y(s), TOP + PLOT_HEIGHT - 2);
            return (
              <a
                key={r.id}
                href={`/runs/${r.id}`}
                aria-label={label(i)}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(`/runs/${r.id}`);
                }}
                onMouseEnter={() => setActive(i)}
                onMouseLeave={() => setActive(null)}
                onFocus={() => setActive(i)}
                onBlur={() => setActive(null)}
              >
                <rect
                  className={`bar-${r.status}${active === i ? ' active' : ''}`}
                  x={LEFT + i * (BAR + GAP)}
                  y={top}
                  width={BAR}
                  height={TOP + PLOT_HEIGHT - top}
                >
                  <title>{label(i)}</title>
                </rect>
              </a>
            );
          })}
          {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: a <g> is not focusable; the caption states the average */}
          <g className="average" aria-hidden="true">
            <line x1={LEFT} x2={width} y1={y(avg)} y2={y(avg)} />
            <text x={width - 2} y={y(avg) - 4} textAnchor="end">
              average {duration(avg)}
            </text>
          </g>
        </svg>
      </div>
      <p className="chart-readout muted" aria-hidden="true">
        {active === null ? 'Point at or focus a bar for its run.' : label(active)}
      </p>
    </figure>
  );
}
