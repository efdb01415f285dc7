import { Link } from 'react-router';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { RelativeTime } from '../../components/relative-time';
import { Empty, ErrorState, Loading } from '../../components/states';
import { duration } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { useDeployments } from './api/get-deployments';
import { DeployNowButton } from './deploy-now-button';
import { DeploymentStatusBadge, shortSha, TRIGGER_LABELS } from './deployment-status';

/** Deployment history (webhook pushes, API calls, "Deploy now"), newest first, refreshing itself. */
export function DeploymentsPage() {
  usePageTitle('Deployments');
  const list = useDeployments();
  if (list.isPending) return <Loading what="deployments" />;
  if (list.isError)
    return <ErrorState what="deployments" error={list.error} retry={() => void list.refetch()} />;
  const { deployments, branch, remote, webhook_configured: webhook, problem } = list.data;
  return (
    <>
      <Breadcrumbs items={[{ label: 'Deployments' }]} />
      <div className="page-head">
        <h2>Deployments</h2>
        <DeployNowButton branch={branch} problem={problem} />
      </div>
      <p className="muted">
        {branch ? (
          <>
            This workspace deploys <code>{branch}</code> from <code>{remote}</code>.{' '}
          </>
        ) : null}
        {webhook
          ? 'Signed GitHub push webhooks deploy it (POST /api/v1/deployments/github-webhook).'
          : 'The GitHub webhook is off: set ui.deploy.secret to turn it on.'}{' '}
        <Link to="/promote">Compare with another stage</Link>
      </p>
      {problem ? (
        <div role="status" className="notice">
          {problem}
        </div>
      ) : null}
      {deployments.length === 0 ? (
        <Empty>No deployments yet. A push to {branch ?? 'the branch'} or “Deploy now” starts one.</Empty>
      ) : (
        <div className="table-scroll">
          <table className="data">
            <caption className="sr-only">Deployments, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Commit</th>
                <th scope="col">Message</th>
                <th scope="col">Author</th>
                <th scope="col">Trigger</th>
                <th scope="col">Requested</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {deployments.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link
                      to={`/deployments/${d.id}`}
                      aria-label={`Deployment ${shortSha(d.commit ?? d.requested_commit)}: ${d.status}`}
                    >
                      <DeploymentStatusBadge status={d.status} title={d.error ?? d.reason} />
                    </Link>
                  </td>
                  <td>
                    <code>{shortSha(d.commit ?? d.requested_commit)}</code>
                  </td>
                  <td>{d.message ?? d.reason ?? d.error ?? ''}</td>
                  <td>{d.author ?? ''}</td>
                  <td>
                    {TRIGGER_LABELS[d.trigger]}
                    {d.requested_by ? <span className="muted"> · {d.requested_by}</span> : null}
                  </td>
                  <td>
                    <RelativeTime iso={d.created_at} />
                  </td>
                  <td>{d.duration_seconds === null ? '' : duration(d.duration_seconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
