import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { Elapsed } from '../../components/relative-time';
import { ErrorState, Loading } from '../../components/states';
import type { Install } from '../../lib/api-types';
import { usePageTitle } from '../../lib/use-page-title';
import { useInstall } from './api/get-install';
import { useInstallOutput } from './api/get-install-output';

function outcome(install: Install): string {
  if (install.status === 'running') return 'running for ';
  const code = install.exit_code === null ? '' : ` with exit code ${install.exit_code}`;
  const signal = install.signal ? ` (${install.signal})` : '';
  return `${install.status === 'success' ? 'succeeded' : 'failed'}${code}${signal}`;
}

/** `meltano install` of one plugin: the command, what it prints as it prints it, and how it ended. */
export default function InstallPage() {
  const id = useParams().id ?? '';
  const [params] = useSearchParams();
  const install = useInstall(id);
  usePageTitle(install.data ? `Install ${install.data.plugin_name}` : 'Install', 'Plugins');
  const output = useInstallOutput(id);
  const { refetch } = install;
  const stillRunning = install.data?.status === 'running';
  // The output ends with the process: read the exit code now rather than at the next poll.
  useEffect(() => {
    if (output.complete && stillRunning) void refetch();
  }, [output.complete, stillRunning, refetch]);
  if (install.isPending) return <Loading what="the install" />;
  if (install.isError) return <ErrorState what="the install" error={install.error} />;
  const i = install.data;
  // The output's own status is newer than the install's last poll at the moment it completes.
  const status = output.complete && output.status ? output.status : i.status;
  const settings = `/plugins/${encodeURIComponent(i.plugin_type)}/${encodeURIComponent(i.plugin_name)}`;
  return (
    <>
      <Breadcrumbs
        items={[{ label: 'Plugins', to: '/plugins' }, { label: `Install ${install.data.plugin_name}` }]}
      />
      <div className="page-head">
        <h2>
          {status === 'running' ? 'Installing' : status === 'success' ? 'Installed' : 'Could not install'}{' '}
          {i.plugin_name}
        </h2>
        <Link to={settings}>Configure {i.plugin_name}</Link>
        <Link to={`/plugins?type=${encodeURIComponent(i.plugin_type)}`}>All {i.plugin_type}</Link>
      </div>
      {params.get('following') ? (
        <p className="muted" role="note">
          An install of {i.plugin_name} was already running; this is that one.
        </p>
      ) : null}
      <dl className="definition">
        <dt>Command</dt>
        <dd>
          <code>{i.argv.join(' ')}</code>
        </dd>
        <dt>Status</dt>
        <dd role="status">
          {status === 'running' ? (
            <>
              {outcome(i)}
              <Elapsed startedAt={i.created_at} seconds={null} />
            </>
          ) : (
            outcome({ ...i, status })
          )}
        </dd>
        {i.error ? (
          <>
            <dt>Error</dt>
            <dd className="error-text">{i.error}</dd>
          </>
        ) : null}
      </dl>
      {status === 'failed' ? (
        <div role="alert" className="error">
          The install failed. The output below says why.
        </div>
      ) : null}
      <section aria-labelledby="install-output">
        <h3 id="install-output">Output of meltano install</h3>
        {output.error ? (
          <p className="inline-error">Reading the output failed, retrying: {output.error.message}</p>
        ) : null}
        <pre className="capture" role="log" aria-label={`Output of the install of ${i.plugin_name}`}>
          {output.text || (output.complete ? '(nothing printed)' : '…')}
        </pre>
      </section>
    </>
  );
}
