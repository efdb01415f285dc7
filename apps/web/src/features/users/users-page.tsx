import { type FormEvent, useState } from 'react';
import { useIdentity, usePermission } from '../../api/get-identity';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { RelativeTime } from '../../components/relative-time';
import { ErrorState, Loading } from '../../components/states';
import type { User } from '../../lib/api-types';
import { usePageTitle } from '../../lib/use-page-title';
import { TokenTable } from '../auth/account-page';
import {
  ROLES,
  type Role,
  useCreateUser,
  useRemoveUser,
  useRevokeUserToken,
  useUpdateUser,
  useUsers,
  useUserTokens,
} from './api/users';

function AddUser() {
  const create = useCreateUser();
  const [form, setForm] = useState({ username: '', email: '', password: '', role: 'regular' as Role });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        username: form.username.trim(),
        password: form.password,
        email: form.email.trim() === '' ? null : form.email.trim(),
        roles: [form.role],
      },
      { onSuccess: () => setForm({ username: '', email: '', password: '', role: 'regular' }) },
    );
  };
  return (
    <form onSubmit={submit} className="inline-form" aria-label="Add a user">
      <label>
        User name
        <input
          required
          maxLength={200}
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
        />
      </label>
      <label>
        Email <span className="muted">(optional)</span>
        <input
          type="email"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
      </label>
      <label>
        Password
        <input
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
      </label>
      <label>
        Role
        <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" disabled={create.isPending}>
        Add user
      </button>
      {create.isError ? (
        <p role="alert" className="inline-error">
          {create.error.message}
        </p>
      ) : null}
    </form>
  );
}

function UserTokens({ user }: { user: User }) {
  const tokens = useUserTokens(user.id);
  const revoke = useRevokeUserToken();
  if (tokens.isPending) return <Loading what="tokens" />;
  if (tokens.isError) return <ErrorState what="tokens" error={tokens.error} />;
  return (
    <TokenTable
      tokens={tokens.data.tokens}
      onRevoke={(tokenId) => revoke.mutate({ userId: user.id, tokenId })}
    />
  );
}

function UserRow({ user }: { user: User }) {
  const update = useUpdateUser();
  const remove = useRemoveUser();
  const [password, setPassword] = useState('');
  const [open, setOpen] = useState(false);
  const error = update.error ?? remove.error;
  return (
    <>
      <tr>
        <th scope="row">
          {user.username}
          {user.email ? <div className="muted">{user.email}</div> : null}
          {user.imported_from_meltano ? <div className="muted">imported from Meltano</div> : null}
          <div className="muted user-origin">
            {user.origin === 'oidc' ? `single sign-on: ${user.oidc_issuer ?? ''}` : 'local account'}
          </div>
        </th>
        <td>
          <select
            aria-label={`Role of ${user.username}`}
            value={user.role}
            disabled={update.isPending}
            onChange={(e) => update.mutate({ id: user.id, roles: [e.target.value] })}
          >
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          {user.origin === 'oidc' ? (
            <div className="muted">
              <label>
                <input
                  type="checkbox"
                  checked={user.roles_pinned}
                  disabled={update.isPending}
                  onChange={(e) => update.mutate({ id: user.id, roles_pinned: e.target.checked })}
                />{' '}
                pin this role
              </label>
              <div>
                {user.roles_pinned
                  ? 'Kept at each sign-in.'
                  : 'The next sign-in applies the role map (ui.oidc.role_map) again.'}
              </div>
            </div>
          ) : null}
        </td>
        <td>
          <label>
            <input
              type="checkbox"
              checked={user.active}
              disabled={update.isPending}
              onChange={(e) => update.mutate({ id: user.id, active: e.target.checked })}
            />{' '}
            active
          </label>
        </td>
        <td>
          <RelativeTime iso={user.last_login_at} /> <span className="muted">({user.login_count})</span>
        </td>
        <td>
          <button type="button" className="link-button" onClick={() => setOpen(!open)} aria-expanded={open}>
            {open ? 'Close' : 'Password & tokens'}
          </button>{' '}
          <button
            type="button"
            className="link-button danger"
            onClick={() => {
              if (window.confirm(`Remove ${user.username}? Their sessions and API tokens end now.`))
                remove.mutate(user.id);
            }}
          >
            Remove
          </button>
          {error ? (
            <div role="alert" className="inline-error">
              {error.message}
            </div>
          ) : null}
        </td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={5}>
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                update.mutate({ id: user.id, password }, { onSuccess: () => setPassword('') });
              }}
            >
              <label>
                New password for {user.username}
                <input
                  type="password"
                  autoComplete="new-password"
                  minLength={8}
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              </label>
              <button type="submit" disabled={update.isPending}>
                Set password (signs them out)
              </button>
            </form>
            <UserTokens user={user} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** Admins add users, change roles, disable, reset passwords and revoke tokens. */
export function UsersPage() {
  usePageTitle('Users');
  const users = useUsers();
  const manage = usePermission('manage_users');
  const authentication = useIdentity().data?.authentication;
  if (users.isPending) return <Loading what="users" />;
  if (users.isError)
    return <ErrorState what="users" error={users.error} retry={() => void users.refetch()} />;
  return (
    <>
      <Breadcrumbs items={[{ label: 'Users' }]} />
      <div className="page-head">
        <h2>Users</h2>
        <span className="muted">admin: everything · regular: all but users · viewer: read only</span>
      </div>
      {authentication === false ? (
        <div className="warn-box" role="note">
          <strong>Authentication is off</strong> (<code>ui.authentication</code> is false): nobody signs in,
          so these accounts, their roles and passwords are not used by this server. They take effect when
          authentication is turned on; you can prepare them here until then.
        </div>
      ) : null}
      {manage.allowed ? <AddUser /> : <p className="warn-text">{manage.reason}</p>}
      <div className="table-scroll">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Active</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.data.users.map((u) => (
              <UserRow key={u.id} user={u} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
