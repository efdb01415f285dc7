import { type FormEvent, useState } from 'react';
import { useIdentity } from '../../api/get-identity';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { RelativeTime } from '../../components/relative-time';
import { ErrorState, Loading } from '../../components/states';
import { usePageTitle } from '../../lib/use-page-title';
import { useChangePassword, useCreateToken, useMyTokens, useRevokeMyToken } from './api/account';

function ChangePassword() {
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const mismatch = again !== '' && next !== again;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    change.mutate(
      { current_password: current, new_password: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setAgain('');
        },
      },
    );
  };
  return (
    <form onSubmit={submit} className="stacked" aria-labelledby="password-title">
      <h3 id="password-title">Change password</h3>
      <label>
        Current password
        <input
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </label>
      <label>
        New password <span className="muted">(at least 8 characters)</span>
        <input
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
      </label>
      <label>
        New password again
        <input
          type="password"
          autoComplete="new-password"
          required
          value={again}
          onChange={(e) => setAgain(e.target.value)}
        />
      </label>
      {mismatch ? <p className="inline-error">The two new passwords differ.</p> : null}
      <button type="submit" className="primary" disabled={change.isPending || mismatch}>
        Change password
      </button>
      {change.isSuccess ? <p role="status">Password changed. Your other sessions were signed out.</p> : null}
      {change.isError ? (
        <p role="alert" className="inline-error">
          {change.error.message}
        </p>
      ) : null}
    </form>
  );
}

function ApiTokens() {
  const tokens = useMyTokens();
  const create = useCreateToken();
  const revoke = useRevokeMyToken();
  const [name, setName] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(name.trim(), { onSuccess: () => setName('') });
  };
  return (
    <section aria-labelledby="tokens-title">
      <h3 id="tokens-title">API tokens</h3>
      <p className="muted">
        For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you, with your
        role.
      </p>
      <form onSubmit={submit} className="inline-form">
        <label>
          Name
          <input
            required
            maxLength={100}
            value={name}
            placeholder="e.g. nightly report"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <button type="submit" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {create.data ? (
        <div role="status" className="new-token">
          Copy this token now: it is not shown again.
          <code className="mono">{create.data.token}</code>
        </div>
      ) : null}
      {create.isError ? (
        <p role="alert" className="inline-error">
          {create.error.message}
        </p>
      ) : null}
      {tokens.isPending ? <Loading what="tokens" /> : null}
      {tokens.isError ? <ErrorState what="tokens" error={tokens.error} /> : null}
      {tokens.data ? <TokenTable tokens={tokens.data.tokens} onRevoke={(id) => revoke.mutate(id)} /> : null}
    </section>
  );
}

export function TokenTable({
  tokens,
  onRevoke,
}: {
  tokens: {
    id: string;
    name: string;
    created_at: string;
    last_used_at: string | null;
    revoked_at: string | null;
  }[];
  onRevoke: (id: string) => void;
}) {
  if (tokens.length === 0) return <p className="muted">No API tokens.</p>;
  return (
    <div className="table-scroll">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <th scope="row">{t.name}</th>
              <td>
                <RelativeTime iso={t.created_at} />
              </td>
              <td>
                {t.last_used_at ? (
                  <RelativeTime iso={t.last_used_at} />
                ) : (
                  <span className="muted">never</span>
                )}
              </td>
              <td>
                {t.revoked_at ? (
                  <span className="muted">revoked</span>
                ) : (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => onRevoke(t.id)}
                    aria-label={`Revoke ${t.name}`}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The signed-in user's password and API tokens. */
export function AccountPage() {
  usePageTitle('Account');
  const identity = useIdentity();
  const user = identity.data?.user;
  if (identity.isPending) return <Loading what="your account" />;
  if (!user) {
    return (
      <p className="empty">
        {identity.data?.authentication
          ? 'Sign in to manage your account.'
          : 'Authentication is off (ui.authentication): there are no accounts.'}
      </p>
    );
  }
  return (
    <>
      <Breadcrumbs items={[{ label: 'Account' }]} />
      <div className="page-head">
        <h2>Account</h2>
        <span className="muted">
          {user.username}
          {user.email ? ` · ${user.email}` : ''} · role {user.role}
        </span>
      </div>
      <ChangePassword />
      <ApiTokens />
    </>
  );
}
