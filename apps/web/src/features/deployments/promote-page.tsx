import { useSearchParams } from 'react-router';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { AbsoluteTime } from '../../components/relative-time';
import { Empty, ErrorState, Loading } from '../../components/states';
import { usePageTitle } from '../../lib/use-page-title';
import { usePromotion } from './api/get-promotion';
import { useWorkspaces } from './api/get-workspaces';
import { shortSha } from './deployment-status';

function diffLineClass(line: string): string | undefined {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-file';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  if (line.startsWith('@@')) return 'diff-hunk';
  return undefined;
}

/**
 * What promoting this workspace's branch to another stage would bring: the commits and the diff of the
 * project files, after a fetch. Merging and pushing stay in Git.
 */
export function PromotePage() {
  usePageTitle('Promote');
  const workspaces = useWorkspaces();
  const [params, setParams] = useSearchParams();
  const others = workspaces.data?.workspaces ?? [];
  const chosen = params.get('to') ?? others[0]?.branch ?? null;
  const promotion = usePromotion(chosen);

  if (workspaces.isPending) return <Loading what="the workspaces" />;
  if (workspaces.isError) return <ErrorState what="the workspaces" error={workspaces.error} />;
  const branch = workspaces.data.branch;
  return (
    <>
      <Breadcrumbs items={[{ label: 'Deployments', to: '/deployments' }, { label: 'Promote' }]} />
      <div className="page-head">
        <h2>Promote {branch ? <code>{branch}</code> : 'this workspace'}</h2>
      </div>
      <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
        <label>
          To the branch{' '}
          <input
            list="workspace-branches"
            value={chosen ?? ''}
            onChange={(e) => setParams(e.target.value ? { to: e.target.value } : {}, { replace: true })}
            placeholder="staging"
            maxLength={200}
          />
        </label>
        <datalist id="workspace-branches">
          {others.map((w) => (
            <option key={w.name} value={w.branch}>
              {w.name}
            </option>
          ))}
        </datalist>{' '}
        <button
          type="button"
          onClick={() => void promotion.refetch()}
          disabled={!chosen || promotion.isFetching}
        >
          {promotion.isFetching ? 'Fetching…' : 'Fetch and compare'}
        </button>
      </form>
      {others.length > 0 ? (
        <p className="muted">
          Stages:{' '}
          {others.map((w, i) => (
            <span key={w.name}>
              {i > 0 ? ', ' : ''}
              {w.name} (<code>{w.branch}</code>, <a href={w.url}>open</a>)
            </span>
          ))}
        </p>
      ) : (
        <p className="muted">No other stages are listed: set ui.workspaces to name them.</p>
      )}
      {!chosen ? (
        <Empty>Pick the branch of the stage to promote to.</Empty>
      ) : promotion.isPending ? (
        <Loading what={`the comparison with ${chosen}`} />
      ) : promotion.isError ? (
        <ErrorState what={`the comparison with ${chosen}`} error={promotion.error} />
      ) : (
        <>
          <p>
            Merging <code>{promotion.data.source.branch}</code> ({shortSha(promotion.data.source.commit)})
            into <code>{promotion.data.target.branch}</code> ({shortSha(promotion.data.target.commit)}) would
            bring {promotion.data.commits.length}
            {promotion.data.commits_truncated ? '+' : ''} commit
            {promotion.data.commits.length === 1 ? '' : 's'}.
            {promotion.data.source.commit &&
            promotion.data.source.commit !== promotion.data.source.deployed ? (
              <span className="muted">
                {' '}
                This workspace runs {shortSha(promotion.data.source.deployed)}: the branch has moved on since
                its last deployment.
              </span>
            ) : null}
          </p>
          <section aria-labelledby="promote-commits">
            <h3 id="promote-commits">Commits</h3>
            {promotion.data.commits.length === 0 ? (
              <Empty>
                Nothing to promote: {promotion.data.target.branch} has every commit of this branch.
              </Empty>
            ) : (
              <div className="table-scroll">
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">Commit</th>
                      <th scope="col">Message</th>
                      <th scope="col">Author</th>
                      <th scope="col">Date</th>
                    </tr>
                  </thead>
                  <tbody>
                    {promotion.data.commits.map((c) => (
                      <tr key={c.sha}>
                        <td>
                          <code>{shortSha(c.sha)}</code>
                        </td>
                        <td>{c.subject}</td>
                        <td title={c.email}>{c.author}</td>
                        <td>
                          <AbsoluteTime iso={c.date} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section aria-labelledby="promote-diff">
            <h3 id="promote-diff">Project files</h3>
            {promotion.data.files.length === 0 ? (
              <Empty>No change to meltano.yml, its included files or lock files.</Empty>
            ) : (
              <>
                <ul>
                  {promotion.data.files.map((f) => (
                    <li key={f.path}>
                      <code>{f.path}</code>{' '}
                      <span className="muted">
                        +{f.additions ?? '?'} −{f.deletions ?? '?'}
                      </span>
                    </li>
                  ))}
                </ul>
                <pre className="capture diff">
                  {promotion.data.diff.split('\n').map((line, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed text, in order.
                    <span key={i} className={diffLineClass(line)}>
                      {line}
                      {'\n'}
                    </span>
                  ))}
                </pre>
                {promotion.data.diff_truncated ? (
                  <p className="muted">The diff is cut here (too long to show); see it in Git.</p>
                ) : null}
              </>
            )}
          </section>
        </>
      )}
    </>
  );
}
