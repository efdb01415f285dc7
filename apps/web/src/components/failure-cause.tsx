import { useState } from 'react';
import { Link } from 'react-router';
import type { Run } from '../lib/api-types';
import './failure-cause.css';

type Cause = NonNullable<Run['failure_cause']>;

// Past this many characters the one-line view is cut; the whole text is on hover and on "More".
const LONG = 100;

const KIND_LABEL: Record<Cause['kind'], string> = {
  exception: 'Exception',
  error_line: 'Error',
  meltano: 'Meltano',
  run_row: 'Run record',
};

/**
 * Why a run failed, from its log: the message in monospace, cut to one line (full text on hover
 * and on "More"), linked to its line in the run's log.
 */
export function FailureCause({ runId, cause }: { runId: number; cause: Cause }) {
  const [expanded, setExpanded] = useState(false);
  const long = cause.message.length > LONG || cause.message.includes('\n');
  const where = [cause.source, cause.line === null ? null : `line ${cause.line}`].filter(Boolean).join(', ');
  const text = (
    <code className="failure-cause-message" title={cause.message}>
      {cause.message}
    </code>
  );
  return (
    <div className={expanded ? 'failure-cause expanded' : 'failure-cause'}>
      <span className="failure-cause-kind">{KIND_LABEL[cause.kind]}</span>
      {cause.line === null ? (
        text
      ) : (
        <Link
          to={`/runs/${runId}#L${cause.line}`}
          className="failure-cause-link"
          aria-label={`${cause.message} (${where} of run ${runId}'s log)`}
        >
          {text}
        </Link>
      )}
      {long ? (
        <button
          type="button"
          className="failure-cause-more"
          aria-expanded={expanded}
          onClick={() => setExpanded((v) => !v)}
        >
          {expanded ? 'Less' : 'More'}
        </button>
      ) : null}
      {where ? <span className="failure-cause-where">{where}</span> : null}
    </div>
  );
}
