import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { ErrorState, Loading } from '../../components/states';
import { STATUS_LABELS } from '../../components/status-badge';
import type { StreamRecords } from '../../lib/api-types';
import { countScale } from '../../lib/chart-scale';
import { absoluteTime, counted } from '../../lib/format';
import { useTimeZone } from '../../lib/time-zone';
import { useStreamRecords } from './api/get-stream-records';
import { BAR, BarAxis, barFrame, PLOT_HEIGHT, TOP } from './bar-chart-frame';
import './records-chart.css';

type ChartRun = StreamRecords['runs'][number];

const streamName = (stream: string | null) => stream ?? '(no stream tag)';
const COUNT = new Intl.NumberFormat();

/**
 * Records each recent run moved, one bar per run stacked by stream (the streams that moved the most
 * get a colour each, the rest share "other streams"), from the Singer METRIC lines of its log. A run
 * whose log the server has not read yet shows as an outline until it has.
 */
export function RecordsChart({ stateIds }: { stateIds: string[] }) {
  const records = useStreamRecords(stateIds);
  if (stateIds.length === 0) return null;
  if (records.isPending) return <Loading what="records per run" />;
  if (records.isError) return <ErrorState what="records per run" error={records.error} />;
  const data = records.data;
  const runs = [...data.runs].reverse().filter((r) => r.started_at !== null);
  if (runs.length === 0) return <p className="muted">No runs yet.</p>;
  if (runs.every((r) => r.known && r.counted === null)) {
    return (
      <p className="muted">
        None of the last {counted(runs.length, 'run')} logged Singer record counts (METRIC lines): taps and
        targets built on the Singer SDK log them; these did not.
      </p>
    );
  }
  return <Chart data={data} runs={runs} />;
}

function Chart({ data, runs }: { data: StreamRecords; runs: ChartRun[] }) {
  const navigate = useNavigate();
  const zone = useTimeZone();
  const titleId = useId();
  const [active, setActive] = useState<number | null>(null);
  const largest = Math.max(0, ...runs.map((r) => r.total ?? 0));
  const scale = countScale(largest);
  const frame = barFrame(runs.length, scale.max);
  const starts = runs.map((r) => Date.parse(r.started_at ?? ''));
  const hasOther = runs.some((r) => r.other > 0);
  const counting = runs.some((r) => r.counted === 'loaded')
    ? 'records (out of the tap, else into the target)'
    : 'records out of the tap';
  const label = (r: ChartRun) => {
    const what = !r.known
      ? 'its log is not read yet'
      : r.total === null
        ? 'no record counts logged'
        : `${COUNT.format(r.total)} records${r.counted === 'loaded' ? ' into the target' : ''}${breakdown(data, r)}`;
    return `Run #${r.id}: ${STATUS_LABELS[r.status]}, ${what}, ${absoluteTime(r.started_at, zone)}`;
  };
  return (
    <figure className="chart duration-chart records-chart">
      <figcaption>
        Records per run, stacked by stream, over the last {counted(runs.length, 'run')} (most{' '}
        {COUNT.format(largest)})
      </figcaption>
      <div className="duration-chart-scroll">
        <svg
          width={frame.width}
          height={frame.height}
          viewBox={`0 0 ${frame.width} ${frame.height}`}
          aria-labelledby={titleId}
        >
          <title id={titleId}>{`Run ${counting}, oldest to newest; each bar links to its run`}</title>
          <BarAxis frame={frame} ticks={scale.ticks} label={scale.label} starts={starts} zone={zone} />
          {runs.map((r, i) => (
            <a
              key={r.id}
              href={`/runs/${r.id}`}
              aria-label={label(r)}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/runs/${r.id}`);
              }}
              onMouseEnter={() => setActive(i)}
              onMouseLeave={() => setActive(null)}
              onFocus={() => setActive(i)}
              onBlur={() => setActive(null)}
            >
              <title>{label(r)}</title>
              <Stack run={r} x={frame.x(i)} y={frame.y} active={active === i} />
            </a>
          ))}
        </svg>
      </div>
      <ul className="chart-legend">
        {data.streams.map((stream, k) => (
          <li key={streamName(stream)}>
            <span className={`swatch series-${k}`} aria-hidden="true" />
            {streamName(stream)}
          </li>
        ))}
        {hasOther ? (
          <li>
            <span className="swatch series-other" aria-hidden="true" />
            {counted(data.other_streams, 'other stream')}
          </li>
        ) : null}
      </ul>
      <p className="chart-readout muted" aria-hidden="true">
        {active === null ? 'Point at or focus a bar for its run.' : label(runs[active] as ChartRun)}
      </p>
    </figure>
  );
}

/** One run's bar: its streams bottom up in legend order, "other" on top; an outline while unknown. */
function Stack({
  run,
  x,
  y,
  active,
}: {
  run: ChartRun;
  x: number;
  y: (v: number) => number;
  active: boolean;
}) {
  const base = TOP + PLOT_HEIGHT;
  if (!run.known || run.total === null) {
    return (
      <rect className={`bar-unknown${active ? ' active' : ''}`} x={x} y={base - 6} width={BAR} height={6} />
    );
  }
  const parts = [
    ...run.counts.map((n, k) => ({ n: n ?? 0, cls: `series-${k}` })),
    { n: run.other, cls: 'series-other' },
  ];
  let below = 0;
  return (
    <g className={active ? 'active' : undefined}>
      {parts.map(({ n, cls }) => {
        if (n <= 0) return null;
        const top = y(below + n);
        const bottom = y(below);
        below += n;
        // At least a pixel: a stream of a few records among millions still shows.
        return (
          <rect
            key={cls}
            className={cls}
            x={x}
            y={Math.min(top, bottom - 1)}
            width={BAR}
            height={Math.max(1, bottom - top)}
          />
        );
      })}
    </g>
  );
}

function breakdown(data: StreamRecords, r: ChartRun): string {
  const parts = data.streams.flatMap((stream, k) => {
    const n = r.counts[k];
    return n === null || n === undefined ? [] : [`${streamName(stream)} ${COUNT.format(n)}`];
  });
  if (r.other > 0) parts.push(`other ${COUNT.format(r.other)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
