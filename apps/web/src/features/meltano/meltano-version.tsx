import { useId, useRef } from 'react';
import { isAdmin, useIdentity } from '../../api/get-identity';
import { useMeltano } from './api/get-meltano';
import './meltano-version.css';
import { UpgradeDialog } from './upgrade-dialog';

/**
 * The Meltano CLI's version, on every page; for admins, when PyPI has a newer Meltano, a button that
 * explains and runs `meltano upgrade` (disabled, saying why, where the server would refuse).
 */
export function MeltanoVersion({ executable }: { executable: string | null }) {
  const meltano = useMeltano().data;
  const identity = useIdentity().data;
  const dialog = useRef<HTMLDialogElement>(null);
  const reasonId = useId();
  if (!meltano || meltano.version === null) return null;
  const running = meltano.upgrade.latest?.status === 'running';
  const offer = isAdmin(identity) && (meltano.upgrade_available || running);
  const { allowed, reason } = meltano.upgrade;
  const usable = allowed || running;
  const newer = meltano.upgrade_available ? meltano.latest_version : null;
  return (
    <span className="meltano-version">
      <span
        className="muted"
        title={
          newer
            ? `Meltano ${newer} is published on PyPI`
            : meltano.latest_version
              ? 'The newest Meltano on PyPI'
              : meltano.latest_source === 'off'
                ? 'Looking for newer releases is off (ui.check_for_updates)'
                : 'PyPI could not be asked for newer releases'
        }
      >
        Meltano {meltano.version}
      </span>
      {offer ? (
        <>
          <button
            type="button"
            className="upgrade-button"
            disabled={!usable}
            aria-describedby={usable ? undefined : reasonId}
            title={usable ? undefined : (reason ?? undefined)}
            onClick={() => dialog.current?.showModal()}
          >
            {running ? 'Meltano is being upgraded…' : `Upgrade Meltano to ${newer}`}
          </button>
          {usable ? null : (
            <span id={reasonId} className="sr-only">
              {reason}
            </span>
          )}
        </>
      ) : null}
      <UpgradeDialog
        ref={dialog}
        meltano={meltano}
        executable={executable}
        onClose={() => dialog.current?.close()}
      />
    </span>
  );
}
