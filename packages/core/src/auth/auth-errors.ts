import { CoreError } from '../errors.js';

export class AuthenticationRequiredError extends CoreError {
  /** `details` may say how to sign in (the identity route's `auth_methods`). */
  constructor(details?: Record<string, unknown>) {
    super('authentication_required', 401, 'Authentication is required to access this resource.', details);
  }
}

export class PermissionDeniedError extends CoreError {
  constructor(needed: string) {
    super(
      'permission_denied',
      403,
      `You do not have the required permissions: this needs the ${needed} role.`,
      { needed },
    );
  }
}

export class AuthenticationOffError extends CoreError {
  constructor() {
    super(
      'authentication_off',
      400,
      'Authentication is off (ui.authentication is false): there are no accounts to sign in to or manage.',
    );
  }
}

/** The old UI's read-only answer: status 499, the message as the code (scripts match on it). */
export class ReadonlyModeError extends CoreError {
  constructor(message: string) {
    super(message, 499, message);
  }
}

export class InvalidCredentialsError extends CoreError {
  constructor() {
    // The same answer for an unknown user, a wrong password and a disabled account.
    super('invalid_credentials', 401, 'Wrong user name or password.');
  }
}

export class InvalidApiTokenError extends CoreError {
  constructor() {
    super('invalid_token', 401, 'The API token is unknown or revoked.');
  }
}

/** The session or token could not be checked (database busy or down): not a sign-out, try again. */
export class SessionUnavailableError extends CoreError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(
      'session_unavailable',
      503,
      `Could not check your sign-in just now (the system database did not answer); try again in ${retryAfterSeconds} s. You are still signed in.`,
      { retry_after_seconds: retryAfterSeconds },
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** `GET /api/v1/metrics` while ui.metrics_enabled is false. */
export class MetricsDisabledError extends CoreError {
  constructor() {
    super(
      'metrics_disabled',
      404,
      'Metrics are off: set ui.metrics_enabled (MELTANO_UI_METRICS_ENABLED=true) to serve them.',
    );
  }
}

/**
 * Metrics are for a scraper holding an API token, or for this machine: 401 with no token, 403 for a
 * browser session (a cookie is not a scraper's credential).
 */
export class MetricsAccessError extends CoreError {
  constructor(status: 401 | 403) {
    super(
      status === 401 ? 'metrics_token_required' : 'metrics_token_only',
      status,
      'Metrics are readable with an API token (Authorization: Bearer mui_…) or from this machine only.',
    );
  }
}

/** A single sign-on that cannot go on: `code` says why, the message says it in words a user reads. */
export class OidcSignInError extends CoreError {
  constructor(code: string, status: number, message: string) {
    super(code, status, message);
  }
}

/** Password sign-in on the web is off (ui.oidc.only): the provider's button is the way in. */
export class PasswordSignInOffError extends CoreError {
  constructor() {
    super(
      'password_sign_in_off',
      403,
      'Sign-in with a password is off (ui.oidc.only): use single sign-on. Admins can still manage ' +
        'accounts with `meltano user` on the server.',
    );
  }
}
