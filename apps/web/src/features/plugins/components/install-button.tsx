import { useNavigate } from 'react-router';
import { useCanLaunch } from '../../../components/run-control/use-can-launch';
import { useInstallPlugin } from '../api/install-plugin';

/**
 * `meltano install` of one plugin; opens the install's live output. An install of it already running is
 * followed instead of refused. Disabled, saying why, when the server would refuse.
 */
export function InstallButton({
  type,
  name,
  compact = false,
}: {
  type: string;
  name: string;
  compact?: boolean;
}) {
  const install = useInstallPlugin();
  const operate = useCanLaunch();
  const navigate = useNavigate();
  return (
    <span className="run-now">
      <button
        type="button"
        className={compact ? undefined : 'primary'}
        disabled={!operate.allowed || install.isPending}
        title={operate.allowed ? `Install ${name} with the Meltano CLI` : (operate.reason ?? 'Not allowed')}
        aria-label={`Install ${name}`}
        onClick={() =>
          install.mutate(
            { type, name },
            {
              onSuccess: (started) =>
                navigate(`/installs/${started.id}${started.alreadyRunning ? '?following=1' : ''}`),
            },
          )
        }
      >
        {install.isPending ? 'Starting…' : 'Install'}
      </button>
      {install.isError ? (
        <span role="alert" className="inline-error">
          {install.error.message}
        </span>
      ) : null}
    </span>
  );
}
