import { useQueryClient } from '@tanstack/react-query';
import { type Ref, useEffect, useState } from 'react';
import type { MeltanoStatus } from '../../lib/api-types';
import { useUpgrade } from './api/get-upgrade';
import { useUpgradeOutput } from './api/get-upgrade-output';
import { useStartUpgrade } from './api/start-upgrade';

function outcome(status: string, meltano: MeltanoStatus, exitCode: number | null): string {
  if (status === 'running') return 'Upgrading Meltano…';
  if (status === 'success')
    return `Upgraded: the Meltano CLI is now ${meltano.version ?? 'being asked its version'}.`;
  if (status === 'refused') return 'Meltano did not upgrade itself here.';
  return `The upgrade failed${exitCode === null ? '' : ` (exit code ${exitCode})`}. The output below says why.`;
}

/**
 * What `meltano upgrade` does, the button that runs it, and its output as it prints it. An upgrade
 * already running (started by another admin or tab) is followed instead of started again.
 */
export function UpgradeDialog({
  ref,
  meltano,
  executable,
  onClose,
}: {
  ref: Ref<HTMLDialogElement>;
  meltano: MeltanoStatus;
  executable: string | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const running = meltano.upgrade.latest?.status === 'running' ? meltano.upgrade.latest.id : null;
  const [started, setStarted] = useState<{ id: string; from: string | null } | null>(null);
  const startedId = started?.id ?? null;
  // The one started here, else one running now (started by another admin, another tab, the old API).
  const followId = startedId ?? running;
  const start = useStartUpgrade();
  const upgrade = useUpgrade(followId);
  const output = useUpgradeOutput(followId);
  const status = output.complete && output.status ? output.status : (upgrade.data?.status ?? null);
  const ended = status !== null && status !== 'running';
  const { refetch } = upgrade;
  useEffect(() => {
    if (!ended) return;
    // The server asks the CLI its version again once the upgrade ended: the header shows the new one.
    void refetch();
    void queryClient.invalidateQueries({ queryKey: ['meltano'] });
    void queryClient.invalidateQueries({ queryKey: ['project'] });
  }, [ended, refetch, queryClient]);
  // The version it is upgraded from, also once it is done.
  const from = (started ? started.from : meltano.version) ?? 'unknown';
  const to = meltano.latest_version;
  return (
    <dialog ref={ref} aria-labelledby="upgrade-title" className="about upgrade-dialog">
      <h2 id="upgrade-title">
        {/* Kept while an upgrade is followed: once done, the newest is no longer newer. */}
        {to && (meltano.upgrade_available || followId !== null)
          ? `Upgrade Meltano to ${to}`
          : 'Upgrade Meltano'}
      </h2>
      <p>
        The Meltano CLI this UI runs pipelines with is <strong>{from}</strong>
        {to ? (
          <>
            ; the newest on PyPI is <strong>{to}</strong>
          </>
        ) : null}
        . Upgrading runs <code>meltano upgrade</code>
        {executable ? (
          <>
            {' '}
            with <code>{executable}</code>
          </>
        ) : null}
        , which:
      </p>
      <ol>
        <li>
          upgrades the <code>meltano</code> package with pip (<code>pip install --upgrade meltano</code>) in
          the Python environment that CLI is installed in;
        </li>
        <li>updates the files managed by file bundles in this project;</li>
        <li>applies the migrations of the system database and of the project's state.</li>
      </ol>
      <p className="muted">
        Meltano refuses to upgrade itself inside Docker and when it is installed from source: pull a newer
        image or <code>git pull</code> there instead. pip replaces Meltano's files under any run going on:
        upgrade while no pipeline runs. Runs started afterwards use the new version. This UI does not change.
      </p>
      {followId === null ? (
        <p className="run-now">
          <button
            type="button"
            className="primary"
            disabled={start.isPending || !meltano.upgrade.allowed}
            onClick={() =>
              start.mutate(undefined, {
                onSuccess: (upgrade) => {
                  setStarted({ id: upgrade.id, from: meltano.version });
                  // The header says an upgrade runs.
                  void queryClient.invalidateQueries({ queryKey: ['meltano'] });
                },
              })
            }
          >
            {start.isPending ? 'Starting…' : 'Run meltano upgrade'}
          </button>
          {meltano.upgrade.allowed ? null : <span className="inline-error">{meltano.upgrade.reason}</span>}
          {start.isError ? (
            <span role="alert" className="inline-error">
              {start.error.message}
            </span>
          ) : null}
        </p>
      ) : (
        <section aria-labelledby="upgrade-output">
          <p role="status" className={status === 'failed' ? 'error-text' : undefined}>
            {status === null ? 'Starting…' : outcome(status, meltano, upgrade.data?.exit_code ?? null)}
          </p>
          {upgrade.data?.refusal ? <p className="error-text">{upgrade.data.refusal}</p> : null}
          <h3 id="upgrade-output">Output of meltano upgrade</h3>
          {output.error ? (
            <p className="inline-error">Reading the output failed, retrying: {output.error.message}</p>
          ) : null}
          <pre className="capture" role="log" aria-label="Output of meltano upgrade">
            {output.text || (output.complete ? '(nothing printed)' : '…')}
          </pre>
        </section>
      )}
      <p>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </p>
    </dialog>
  );
}
