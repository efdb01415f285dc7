import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { useIdentity } from '../api/get-identity';
import { ErrorState, Loading } from '../components/states';
import { SignInPage } from '../features/auth/sign-in-page';
import { ApiError, onUnauthorized } from '../lib/api-client';

/**
 * Shows the sign-in page in place of any page while sign-in is required (the address stays, so the
 * page comes back after signing in), and again as soon as any request finds the session ended.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const identity = useIdentity();
  const client = useQueryClient();
  useEffect(
    () =>
      onUnauthorized(() => {
        // Only a session that was known to be good is re-checked (no loop while signed out).
        if (client.getQueryState(['identity'])?.status === 'success') {
          void client.invalidateQueries({ queryKey: ['identity'] });
        }
      }),
    [client],
  );
  if (identity.isPending) return <Loading what="your session" />;
  if (identity.error instanceof ApiError && identity.error.status === 401) {
    return (
      <main id="main" className="signed-out">
        <h1>Meltano UI</h1>
        <SignInPage reason={identity.data ? 'Your session ended. Sign in again to go on.' : undefined} />
      </main>
    );
  }
  // Any other failure (503: the session could not be checked just now) is not a sign-out: the pages
  // stay while the last answer is known; before any answer, say so and offer to try again.
  if (identity.error && identity.data === undefined) {
    return (
      <main id="main">
        <ErrorState what="your session" error={identity.error} retry={() => void identity.refetch()} />
      </main>
    );
  }
  return children;
}
