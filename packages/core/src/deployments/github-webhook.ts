import { createHmac, timingSafeEqual } from 'node:crypto';
import { CoreError, InvalidInputError } from '../errors.js';

/** GitHub signs each delivery with HMAC-SHA256 of the exact body bytes: `sha256=<64 hex>`. */
export function githubSignature(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookSignatureError extends CoreError {
  constructor(message: string) {
    super('webhook_signature_invalid', 401, message);
  }
}

export class WebhookNotConfiguredError extends CoreError {
  constructor() {
    super(
      'webhook_not_configured',
      404,
      'The deployment webhook is off: set ui.deploy.secret (MELTANO_UI_DEPLOY_SECRET) to the secret of the GitHub webhook',
    );
  }
}

/** Throws WebhookSignatureError unless `header` is the body's signature; compared in constant time. */
export function verifyGithubSignature(secret: string, body: Buffer, header: string | undefined): void {
  if (header === undefined || header === '') {
    throw new WebhookSignatureError('The X-Hub-Signature-256 header is missing');
  }
  const expected = Buffer.from(githubSignature(secret, body), 'utf8');
  const given = Buffer.from(header.trim(), 'utf8');
  // timingSafeEqual needs equal lengths; the length of a well-formed signature is public anyway.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WebhookSignatureError('The X-Hub-Signature-256 signature does not match the body');
  }
}

/** What a `push` delivery says (the fields deployments read). */
export interface PushEvent {
  ref: string;
  after: string;
  deleted: boolean;
  pusher: string | null;
}

const ZERO_SHA = /^0+$/;

/**
 * The body as JSON (GitHub's `application/json`) or as the `payload` field of a form
 * (`application/x-www-form-urlencoded`, GitHub's other content type).
 */
export function parseWebhookBody(body: Buffer, contentType: string | undefined): unknown {
  let text = body.toString('utf8');
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) throw new InvalidInputError('The form has no payload field');
    text = payload;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidInputError('The webhook body is not JSON');
  }
}

export function readPushEvent(payload: unknown): PushEvent {
  const p = (payload ?? {}) as Record<string, unknown>;
  if (typeof p.ref !== 'string' || typeof p.after !== 'string') {
    throw new InvalidInputError('A push event needs ref and after');
  }
  const pusher = (p.pusher ?? {}) as Record<string, unknown>;
  return {
    ref: p.ref,
    after: p.after,
    deleted: p.deleted === true || ZERO_SHA.test(p.after),
    pusher: typeof pusher.name === 'string' ? pusher.name.slice(0, 255) : null,
  };
}
