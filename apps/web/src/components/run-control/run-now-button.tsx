import { useNavigate } from 'react-router';
import { useProject } from '../../api/get-project';
import { type PipelineRef, useRunPipeline } from './run-pipeline';

/**
 * Starts the pipeline with the Meltano CLI and opens the launch page, which follows it into the live
 * log. Disabled while the pipeline runs and in read-only mode, saying why.
 */
export function RunNowButton({
  pipeline,
  running,
  label,
}: {
  pipeline: PipelineRef;
  running: boolean;
  label?: string;
}) {
  const run = useRunPipeline();
  const navigate = useNavigate();
  const project = useProject();
  const readonly = project.data?.readonly === true;
  const why = readonly
    ? 'The UI is read-only (ui.readonly)'
    : running
      ? 'Already running'
      : `Run ${pipeline.name} now with the Meltano CLI`;
  return (
    <span className="run-now">
      <button
        type="button"
        className="primary"
        disabled={readonly || running || run.isPending}
        title={why}
        aria-label={label ?? `Run ${pipeline.name} now`}
        onClick={() => run.mutate(pipeline, { onSuccess: (launch) => navigate(`/launches/${launch.id}`) })}
      >
        {run.isPending ? 'Starting…' : (label ?? 'Run now')}
      </button>
      {run.isError ? (
        <span role="alert" className="inline-error">
          {run.error.message}
        </span>
      ) : null}
    </span>
  );
}
