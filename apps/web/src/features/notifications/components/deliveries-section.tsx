import { CheckCircle2, CircleDashed, type LucideIcon, RotateCw, XCircle } from 'lucide-react';
import { Link } from 'react-router';
import { RelativeTime } from '../../../components/relative-time';
import { Empty, ErrorState, Loading } from '../../../components/states';
import type { DeliveryStatus, NotificationChannel } from '../../../lib/api-types';
import { DELIVERIES_SHOWN, useDeliveries } from '../api/get-deliveries';
import { channelLabel, eventLabel, STATUS_BADGES, STATUS_LABELS } from '../model/delivery-view';

// A shape beside each colour, as the run badges have, so a status reads without colour too.
const STATUS_ICONS: Record<DeliveryStatus, LucideIcon> = {
  sending: CircleDashed,
  retrying: RotateCw,
  delivered: CheckCircle2,
  failed: XCircle,
};

function StatusBadge({ status }: { status: DeliveryStatus }) {
  const Icon = STATUS_ICONS[status];
  return (
    <span className={STATUS_BADGES[status]}>
      <Icon size={14} aria-hidden="true" className="badge-icon" />
      {STATUS_LABELS[status]}
    </span>
  );
}

/** The delivery log: the latest notifications sent or being sent, re-read every 10 s. */
export function DeliveriesSection({ channels }: { channels: NotificationChannel[] }) {
  const deliveries = useDeliveries();
  const byId = new Map(channels.map((c) => [c.id, c]));
  return (
    <section aria-labelledby="deliveries-heading">
      <div className="section-head">
        <h3 id="deliveries-heading">Delivery log</h3>
        <span className="muted">The latest {DELIVERIES_SHOWN}, newest first; refreshes every 10 s</span>
      </div>
      {deliveries.isPending ? (
        <Loading what="the delivery log" />
      ) : deliveries.isError ? (
        <ErrorState
          what="the delivery log"
          error={deliveries.error}
          retry={() => void deliveries.refetch()}
        />
      ) : deliveries.data.items.length === 0 ? (
        <Empty>Nothing sent yet. A rule's events, and each “Send test”, show here.</Empty>
      ) : (
        <div className="table-scroll">
          <table className="data notify-table deliveries">
            <caption className="sr-only">Delivery log</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Pipeline</th>
                <th scope="col">Run</th>
                <th scope="col">Channel</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.items.map((d) => (
                <tr key={d.id}>
                  <td data-label="Time">
                    <RelativeTime iso={d.created_at} />
                  </td>
                  <td data-label="Event">{eventLabel(d.event)}</td>
                  <td data-label="Pipeline">
                    {d.pipeline ? <code>{d.pipeline}</code> : <span className="muted">—</span>}
                  </td>
                  <td data-label="Run">
                    {d.run_id === null ? (
                      <span className="muted">—</span>
                    ) : (
                      <Link to={`/runs/${d.run_id}`}>Run {d.run_id}</Link>
                    )}
                  </td>
                  <td data-label="Channel">{channelLabel(d, byId)}</td>
                  <td data-label="Status">
                    <StatusBadge status={d.status} />
                    {d.status === 'retrying' && d.next_attempt_at ? (
                      <div className="muted">
                        <RelativeTime iso={d.next_attempt_at} prefix="next" />
                      </div>
                    ) : null}
                  </td>
                  <td data-label="Attempts">{d.attempts}</td>
                  <td data-label="Last error" className="delivery-error">
                    {d.last_error ? (
                      <span className="error-text" title={d.last_error}>
                        {d.response_code === null ? '' : `${d.response_code}: `}
                        {d.last_error}
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
