import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { identityQueryOptions } from '../../api/get-identity';
import { ApiError, BASE_PATH } from '../../lib/api-client';
import type { AuthMethods } from '../../lib/api-types';
import { usePageTitle } from '../../lib/use-page-title';
import { useAuthMethods, useSignIn } from './api/sign-in';

/** Where to go after signing in: only a path of this app, never another site. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Sign-in form; used as the `/login` page and in place of any page while signed out. */
export function SignInPage({ reason }: { reason?: string }) {
  usePageTitle('Sign in');
  const signIn = useSignIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const methods = useAuthMethods();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate(
      { username: username.trim(), password },
      {
        onSuccess: () => {
          if (window.location.pathname.endsWith('/login')) void navigate(safeNext(params.get('next')));
        },
      },
    );
  };
  // Read from the cache, not observed: the gate shows this page when the identity query failed (401), and
  // a new observer of a failed query refetches it on mount, which would unmount this page and loop.
  const identity = useQueryClient().getQueryData(identityQueryOptions().queryKey);
  if (identity && !identity.authentication) return <AuthenticationOff />;
  const error = signIn.error;
  // Until the methods are known the form shows (passwords are the default); ui.oidc.only hides it.
  const passwordSignIn = methods.data?.auth_methods.includes('password') ?? true;
  const retryAfter =
    error instanceof ApiError && error.code === 'too_many_attempts'
      ? Number(error.details?.retry_after_seconds)
      : null;

  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in to Meltano UI</h2>
      {reason ? <p className="muted">{reason}</p> : null}
      {methods.data?.oidc ? <SingleSignOnButton oidc={methods.data.oidc} next={params.get('next')} /> : null}
      {passwordSignIn ? (
        <form onSubmit={submit}>
          <label>
            User name or email
            <input
              name="username"
              autoComplete="username"
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          </label>
          <label>
            Password
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
          {error ? (
            <p role="alert" className="inline-error">
              {retryAfter ? `Too many failed attempts: try again in ${retryAfter} s.` : error.message}
            </p>
          ) : null}
        </form>
      ) : null}
      <p className="muted">
        {methods.data?.oidc
          ? 'Single sign-on creates your account on first sign-in; other accounts are managed by an admin, or with '
          : 'Accounts are managed by an admin, or with '}
        <code>meltano user add</code> on the server.
      </p>
    </section>
  );
}

/**
 * The provider's button: a plain link (a full-page navigation), since the sign-in goes through the
 * provider's pages and comes back with a session cookie. Comes back to this page's address.
 */
function SingleSignOnButton({ oidc, next }: { oidc: NonNullable<AuthMethods['oidc']>; next: string | null }) {
  const here = `${window.location.pathname.slice(BASE_PATH.length) || '/'}${window.location.search}`;
  const back = window.location.pathname.endsWith('/login') ? safeNext(next) : here;
  const href = `${BASE_PATH}/api/v1/auth/oidc/login?next=${encodeURIComponent(back)}`;
  return (
    <p className="sign-in-sso">
      <a className="button primary" href={href}>
        {oidc.button_label}
      </a>
    </p>
  );
}

/** With `ui.authentication` off there is no account to sign in to: say so rather than show a form that cannot work. */
function AuthenticationOff() {
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Authentication is off</h2>
      <p>
        This server does not ask anyone to sign in (<code>ui.authentication</code> is false): everyone who can
        reach it uses the UI without an account.
      </p>
      <p className="muted">
        To require accounts, add an admin with <code>meltano user add NAME PASSWORD --role admin</code>, then
        set <code>ui.authentication: true</code> (or <code>MELTANO_UI_AUTHENTICATION=true</code>) and restart.
      </p>
      <p>
        <Link to="/">Go to the pipelines</Link>
      </p>
    </section>
  );
}
