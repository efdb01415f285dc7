import { useNavigate } from 'react-router';
import { usePermission } from '../../api/get-identity';
import { useStartDeployment } from './api/start-deployment';

/**
 * Deploys the branch tip and opens the deployment. Disabled with the reason when the server would
 * refuse: not an admin, ui.readonly, or no Git checkout to deploy (`problem`).
 */
export function DeployNowButton({ branch, problem }: { branch: string | null; problem: string | null }) {
  const deploy = usePermission('deploy');
  const start = useStartDeployment();
  const navigate = useNavigate();
  const why = !deploy.allowed
    ? (deploy.reason ?? 'Not allowed')
    : problem !== null
      ? problem
      : `Fetch ${branch ?? 'the branch'} and fast-forward this workspace to its tip`;
  const disabled = !deploy.allowed || problem !== null || start.isPending;
  return (
    <span className="run-now">
      <button
        type="button"
        className="primary"
        disabled={disabled}
        title={why}
        aria-describedby={disabled ? 'deploy-now-why' : undefined}
        onClick={() =>
          start.mutate(undefined, { onSuccess: (r) => navigate(`/deployments/${r.deployment.id}`) })
        }
      >
        {start.isPending ? 'Queuing…' : 'Deploy now'}
      </button>
      {disabled && !start.isPending ? (
        <span id="deploy-now-why" className="muted">
          {' '}
          {why}
        </span>
      ) : null}
      {start.isError ? (
        <span role="alert" className="inline-error">
          {start.error.message}
        </span>
      ) : null}
    </span>
  );
}
