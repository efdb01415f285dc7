import { useState } from 'react';
import { useParams } from 'react-router';
import { NotFound } from '../../components/states';
import { ApiError } from '../../lib/api-client';
import { useRun } from './api/get-run';
import { LogViewer } from './components/log-viewer';
import { RunActions } from './components/run-actions';
import { RunMetricsSection } from './components/run-metrics-table';
import { RunSummary } from './components/run-summary';
import './ansi-colors.css';
import './log-viewer.css';
import { usePageTitle } from '../../lib/use-page-title';

/** The run page: the run's status and times, and its log, followed live while it runs. */
export default function RunLogPage() {
  const { id: param } = useParams();
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id < 1) {
    return <NotFound title={`“${param}” is not a run number.`} />;
  }
  // A new run remounts the page, so nothing of the previous run's log is kept.
  return <RunPage key={id} id={id} />;
}

function RunPage({ id }: { id: number }) {
  const [live, setLive] = useState(false);
  const run = useRun(id, live);
  usePageTitle(`Run ${id}`, run.data?.state_id);
  if (run.isPending) return <p role="status">Loading run {id}…</p>;
  if (run.isError) {
    if (run.error instanceof ApiError && run.error.status === 404) {
      return <NotFound title={`There is no run ${id} in the system database.`} />;
    }
    return (
      <div role="alert" className="error">
        Could not load run {id}: {run.error.message}{' '}
        <button type="button" onClick={() => void run.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <div className="run-page">
      <RunSummary run={run.data} receivedAt={run.dataUpdatedAt} />
      <RunActions run={run.data} />
      <RunMetricsSection runId={id} />
      <LogViewer run={run.data} onLiveChange={setLive} />
    </div>
  );
}
