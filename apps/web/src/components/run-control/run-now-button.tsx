import { Play } from 'lucide-react';
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
        // The name says which pipeline ("Run daily-demo now") and contains the visible "Run now" (axe:
        // label-content-name-mismatch); while starting, it keeps that name.
        aria-label={compact || run.isPending ? (label ?? `Run ${pipeline.name} now`) : undefined}
        onClick={() => run.mutate(pipeline, { onSuccess: (launch) => navigate(`/launches/${launch.id}`) })}
      >
        {compact ? (
          <Play size={14} aria-hidden="true" />
        ) : run.isPending ? (
          'Starting…'
        ) : (
          (label ?? (
            <>
              Run <span className="sr-only">{pipeline.name} </span>now
            </>
          ))
        )}
      </button>
      {run.isError ? (
        <span role="alert" className="inline-error">
          {run.error.message}
        </span>
      ) : null}
    </span>
  );
}
