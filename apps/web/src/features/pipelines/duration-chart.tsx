import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { ErrorState, Loading } from '../../components/states';
import { STATUS_LABELS } from '../../components/status-badge';
import type { Run } from '../../lib/api-types';
import { durationScale } from '../../lib/chart-scale';
import { absoluteTime, counted, duration } from '../../lib/format';
import { useTimeZone } from '../../lib/time-zone';
import { useRecentRuns } from './api/get-recent-runs';
import { BAR, BarAxis, barFrame, PLOT_HEIGHT, TOP } from './bar-chart-frame';
import './duration-chart.css';

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
  const frame = barFrame(points.length, scale.max);
  const { width, height, y } = frame;
  const starts = points.map((r) => Date.parse(r.started_at ?? ''));
  const label = (i: number) => {
    const r = points[i] as Run;
    return `Run #${r.id}: ${STATUS_LABELS[r.status]}, ${duration(seconds[i] ?? null)}, ${absoluteTime(r.started_at, zone)}`;
  };
  return (
    <figure className="chart duration-chart">
      <figcaption>
        Duration of the last {counted(points.length, 'run')} (longest {duration(longest)}, average{' '}
        {duration(avg)})
      </figcaption>
      <div className="duration-chart-scroll">
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-labelledby={titleId}>
          <title id={titleId}>
            Run durations in {UNIT_NAMES[scale.unit]}, oldest to newest; each bar links to its run
          </title>
          <BarAxis
            frame={frame}
            ticks={scale.ticks}
            label={scale.label}
            unit={scale.unit}
            starts={starts}
            zone={zone}
          />
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
                  x={frame.x(i)}
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
            <line x1={frame.x(0)} x2={width} y1={y(avg)} y2={y(avg)} />
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
