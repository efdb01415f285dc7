import { useNavigate } from 'react-router';
import { type PipelineRef, useRunPipeline } from './run-pipeline';
import { useCanLaunch } from './use-can-launch';

/**
 * Starts the pipeline with the Meltano CLI and opens the launch page, which follows it into the live
 * log. Disabled while the pipeline runs or when the server would refuse (role, read-only modes, no Meltano
 * CLI), saying why.
 */
export function RunNowButton({
  pipeline,
  running,
  label,
  compact = false,
}: {
  pipeline: PipelineRef;
  running: boolean;
  label?: string;
  /** An icon-only button for table rows; the accessible name stays "Run NAME now". */
  compact?: boolean;
}) {
  const run = useRunPipeline();
  const navigate = useNavigate();
  const operate = useCanLaunch();
  const why = !operate.allowed
    ? (operate.reason ?? 'Not allowed')
    : running
      ? 'Already running'
      : `Run ${pipeline.name} now with the Meltano CLI`;
  return (
    <span className="run-now">
      <button
        type="button"
        className={compact ? 'icon-button' : 'primary'}
        disabled={!operate.allowed || running || run.isPending}
        title={why}
        aria-label={label ?? `Run ${pipeline.name} now`}
        onClick={() => run.mutate(pipeline, { onSuccess: (launch) => navigate(`/launches/${launch.id}`) })}
      >
        {compact ? <PlayIcon /> : run.isPending ? 'Starting…' : (label ?? 'Run now')}
      </button>
      {run.isError ? (
        <span role="alert" className="inline-error">
          {run.error.message}
        </span>
      ) : null}
    </span>
  );
}

function PlayIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="M4 2.5v11l9-5.5z" fill="currentColor" />
    </svg>
  );
}
