import { CheckCircle2, type LucideIcon, OctagonX, XCircle } from 'lucide-react';
import { Link } from 'react-router';
import { RelativeTime } from '../../../components/relative-time';
import type { AuditEntry } from '../../../lib/api-types';
import { detailsLabel, OUTCOME_BADGES, OUTCOME_LABELS, targetLabel } from '../model/audit-view';

// A shape beside each colour, as the run badges have, so an outcome reads without colour too.
const OUTCOME_ICONS: Record<AuditEntry['outcome'], LucideIcon> = {
  ok: CheckCircle2,
  refused: OctagonX,
  failed: XCircle,
};

function Outcome({ entry }: { entry: AuditEntry }) {
  const Icon = OUTCOME_ICONS[entry.outcome];
  return (
    <span className={OUTCOME_BADGES[entry.outcome]} title={`HTTP ${entry.status}`}>
      <Icon size={14} aria-hidden="true" className="badge-icon" />
      {OUTCOME_LABELS[entry.outcome]} · {entry.status}
    </span>
  );
}

/** Where a pipeline's page is; a name no schedule or job has any more still links (its page says so). */
function PipelineCell({ entry }: { entry: AuditEntry }) {
  if (!entry.pipeline) return <span className="muted">—</span>;
  const kind = entry.action.includes('/api/v1/jobs/') ? 'jobs' : 'schedules';
  return <Link to={`/${kind}/${encodeURIComponent(entry.pipeline)}`}>{entry.pipeline}</Link>;
}

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <div className="table-scroll">
      <table className="data audit-table">
        <caption className="sr-only">Audit log, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">IP</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Pipeline</th>
            <th scope="col">Outcome</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const details = detailsLabel(e.details);
            return (
              <tr key={e.id}>
                <td data-label="Time">
                  <RelativeTime iso={e.at} />
                </td>
                <td data-label="Actor">{e.actor}</td>
                <td data-label="IP">{e.client_ip ?? <span className="muted">—</span>}</td>
                <td data-label="Action">
                  <code>{e.action}</code>
                </td>
                <td data-label="Target" className="audit-target">
                  {targetLabel(e.target)}
                </td>
                <td data-label="Pipeline">
                  <PipelineCell entry={e} />
                </td>
                <td data-label="Outcome">
                  <Outcome entry={e} />
                </td>
                <td data-label="Details" className="audit-details">
                  {details === '' ? <span className="muted">—</span> : details}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
