import type { ApiError } from '../../../lib/api-client';

/** Why adding failed, in the server's words (a taken name, a catalog that does not know it, read-only…). */
export function AddError({ error }: { error: Error | null }) {
  if (!error) return null;
  const field = (error as ApiError).details?.field;
  return (
    <p role="alert" className="inline-error">
      {error.message}
      {typeof field === 'string' ? ` (${field})` : ''}
    </p>
  );
}
