import { useId } from 'react';
import { useNavigate } from 'react-router';
import { ErrorState, Loading } from '../../components/states';
import { STATUS_LABELS } from '../../components/status-badge';
import { absoluteTime, duration } from '../../lib/format';
import { useRecentRuns } from './api/get-recent-runs';

const HEIGHT = 140;
const BAR = 10;
const GAP = 3;

/** Duration of the recent runs, oldest left; bar colour and label carry the status. Click opens the run. */
export function DurationChart({ stateIds }: { stateIds: string[] }) {
  const runs = useRecentRuns(stateIds);
  const navigate = useNavigate();
  const titleId = useId();
  if (stateIds.length === 0) return null;
  if (runs.isPending) return <Loading what="recent runs" />;
  if (runs.isError) return <ErrorState what="recent runs" error={runs.error} />;
  const points = [...runs.data].reverse().filter((r) => r.started_at !== null);
  if (points.length === 0) return <p className="muted">No runs yet.</p>;
  const now = Date.now();
  const seconds = points.map(
    (r) => r.duration_seconds ?? Math.max(0, (now - Date.parse(r.started_at ?? '')) / 1000),
  );
  const max = Math.max(...seconds, 1);
  const width = points.length * (BAR + GAP);
  const avg = seconds.reduce((a, b) => a + b, 0) / seconds.length;
  return (
    <figure className="chart">
      <figcaption>
        Duration of the last {points.length} runs (longest {duration(max)}, average {duration(avg)})
      </figcaption>
      <svg
        viewBox={`0 0 ${width} ${HEIGHT + 2}`}
        width="100%"
        height={HEIGHT + 2}
        preserveAspectRatio="none"
        aria-labelledby={titleId}
      >
        <title id={titleId}>Run durations, oldest to newest; each bar links to its run</title>
        {points.map((r, i) => {
          const h = Math.max(2, ((seconds[i] ?? 0) / max) * HEIGHT);
          const label = `Run #${r.id}: ${STATUS_LABELS[r.status]}, ${duration(seconds[i] ?? null)}, ${absoluteTime(r.started_at)}`;
          return (
            <a
              key={r.id}
              href={`/runs/${r.id}`}
              aria-label={label}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/runs/${r.id}`);
              }}
            >
              <rect
                className={`bar-${r.status}`}
                x={i * (BAR + GAP)}
                y={HEIGHT - h + 1}
                width={BAR}
                height={h}
              >
                <title>{label}</title>
              </rect>
            </a>
          );
        })}
      </svg>
    </figure>
  );
}
