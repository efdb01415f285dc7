import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EmailConfig, SlackConfig, WebhookConfig } from './channel-config.js';
import { emailMessage, slackBody, webhookBody } from './content.js';
import type { NotificationContent } from './notification.types.js';

/** How one attempt went. `code`: the receiver's HTTP status or the SMTP reply code, when there was one. */
export interface SendResult {
  ok: boolean;
  code: number | null;
  error: string | null;
}

/** A receiver that hangs is given up on after this: nothing waits on it longer. */
export const SEND_TIMEOUT_MS = 10_000;

export const SIGNATURE_HEADER = 'X-Meltano-UI-Signature';
export const TIMESTAMP_HEADER = 'X-Meltano-UI-Timestamp';
export const DELIVERY_HEADER = 'X-Meltano-UI-Delivery';

/**
 * `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, GitHub's format with Stripe's timestamp:
 * signing the timestamp too means a captured request cannot be replayed later with a fresh one.
 * Receivers recompute it over the raw body and refuse timestamps older than a few minutes.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** For receivers (and tests): constant-time check of a signature header. */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  header: string | undefined,
): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export async function sendWebhook(
  config: WebhookConfig,
  content: NotificationContent,
  opts: { now: () => Date; timeoutMs?: number },
): Promise<SendResult> {
  const body = webhookBody(content);
  const timestamp = String(Math.floor(opts.now().getTime() / 1000));
  const headers: Record<string, string> = {
    [TIMESTAMP_HEADER]: timestamp,
    [DELIVERY_HEADER]: content.delivery_key,
  };
  if (config.secret !== null) headers[SIGNATURE_HEADER] = webhookSignature(config.secret, timestamp, body);
  return postJson(config.url, body, headers, opts.timeoutMs);
}

export function sendSlack(
  config: SlackConfig,
  content: NotificationContent,
  opts: { timeoutMs?: number },
): Promise<SendResult> {
  return postJson(config.url, slackBody(content), {}, opts.timeoutMs);
}

async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = SEND_TIMEOUT_MS,
): Promise<SendResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'meltano-ui', ...headers },
      body,
      // A redirect is an answer we do not follow: the URL was given by an admin and is what is signed for.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Only the status matters; the body is dropped so the connection is freed at once.
    await response.body?.cancel().catch(() => {});
    const ok = response.status >= 200 && response.status < 300;
    return { ok, code: response.status, error: ok ? null : `The receiver answered HTTP ${response.status}` };
  } catch (err) {
    return { ok: false, code: null, error: fetchError(err, timeoutMs) };
  }
}

/** Never the URL: a webhook URL is a secret (Slack's carries its token). */
function fetchError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `No answer within ${timeoutMs / 1000} s`;
  }
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : null;
  return code ? `Could not reach the receiver (${code})` : 'Could not reach the receiver';
}

export async function sendEmail(
  config: EmailConfig,
  content: NotificationContent,
  opts: { to?: string[]; timeoutMs?: number; headers?: Record<string, string> },
): Promise<SendResult> {
  const timeoutMs = opts.timeoutMs ?? SEND_TIMEOUT_MS;
  // Loaded on the first email: most servers never send one, and nodemailer is ~300 KB of code.
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.starttls,
    ...(config.username !== null ? { auth: { user: config.username, pass: config.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  const message = emailMessage(content);
  let timer: NodeJS.Timeout | undefined;
  try {
    // Each phase has its own timeout; this bounds the whole exchange (a server that trickles bytes).
    const info = await Promise.race([
      transport.sendMail({
        from: config.from,
        to: opts.to ?? config.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: { [DELIVERY_HEADER]: content.delivery_key, ...(opts.headers ?? {}) },
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`No answer within ${(timeoutMs * 3) / 1000} s`)),
          timeoutMs * 3,
        );
      }),
    ]);
    const code = Number(/^(\d{3})/.exec(String(info.response ?? ''))?.[1] ?? 250);
    const refused = info.rejected?.length ?? 0;
    if (refused > 0) return { ok: false, code, error: `The SMTP server refused ${refused} recipient(s)` };
    return { ok: true, code, error: null };
  } catch (err) {
    const e = err as { responseCode?: number; code?: string; message?: string };
    const reason = e.responseCode ? `SMTP ${e.responseCode}` : (e.code ?? e.message ?? 'error');
    return { ok: false, code: e.responseCode ?? null, error: `Could not send the email (${reason})` };
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}
