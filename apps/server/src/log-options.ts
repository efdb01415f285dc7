import { looksSecret, REDACTED } from '@meltano-ui/core';
import type { FastifyServerOptions } from 'fastify';
import pinoPretty from 'pino-pretty';

/** How the server logs: a pino level, and pretty lines (a person at a terminal) or JSON (machines). */
export interface ServerLogOptions {
  /** A pino level name (pinoLevelOf turns Meltano's cli.log_level into one). */
  level?: string;
  /** Colourised one-line records instead of JSON lines (the launcher sets it when stdout is a TTY). */
  pretty?: boolean;
  /** Where JSON lines go instead of stdout (tests collect them). */
  stream?: { write(line: string): void };
}

/** Meltano's cli.log_level values and the pino level each one is. */
const MELTANO_TO_PINO = {
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'fatal',
} as const;

/** cli.log_level (`MELTANO_CLI_LOG_LEVEL`) as a pino level; throws on a value Meltano would refuse. */
export function pinoLevelOf(meltanoLevel: string): string {
  const level = MELTANO_TO_PINO[meltanoLevel.trim().toLowerCase() as keyof typeof MELTANO_TO_PINO];
  if (level === undefined) {
    throw new Error(
      `cli.log_level must be one of ${Object.keys(MELTANO_TO_PINO).join(', ')}, got ${JSON.stringify(meltanoLevel)}`,
    );
  }
  return level;
}

// Beyond the secret-looking names of settings: what sign-in links, OAuth redirects and signed URLs carry.
const SECRET_PARAM = /(key|sig(nature)?|session|sid|jwt|code|cookie|bearer)/i;
const URI_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:[^@\s/]+@/i;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

/**
 * A request URL fit for a log line: the value of every query parameter whose name looks secret
 * (`token`, `access_token`, `api_key`, `password`, `sig`…) or that holds a URI with a password is
 * replaced by `(redacted)`; the path and other parameters are kept as sent.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq === -1) return part;
      const name = decoded(part.slice(0, eq));
      const secret =
        looksSecret(name) || SECRET_PARAM.test(name) || URI_WITH_PASSWORD.test(decoded(part.slice(eq + 1)));
      return secret ? `${part.slice(0, eq)}=${REDACTED}` : part;
    });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

/** The fields of our request line (request-log plugin); the pretty printer folds them into the message. */
export const REQUEST_LINE_FIELDS = ['method', 'route', 'url', 'status', 'ms', 'user', 'token'];

/**
 * Fastify's `logger` option. Whatever logs a request or an error gets the URL redacted and no headers
 * (cookies, Authorization); the per-request line is the request-log plugin's, so Fastify's own
 * "incoming request"/"request completed" pair is turned off by the caller.
 */
export function loggerOptions(opts: ServerLogOptions | false | undefined): FastifyServerOptions['logger'] {
  if (opts === false || opts === undefined) return false;
  const stream = opts.pretty
    ? pinoPretty({
        colorize: true,
        sync: true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: ['pid', 'hostname', ...REQUEST_LINE_FIELDS].join(','),
        singleLine: true,
      })
    : opts.stream;
  return {
    level: opts.level ?? 'info',
    ...(stream ? { stream } : {}),
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({
        method: req.method,
        url: redactUrl(req.url ?? ''),
        id: req.id,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    // Anything that puts headers into a line by hand still loses the credentials.
    redact: {
      paths: ['headers.authorization', 'headers.cookie', 'req.headers.authorization', 'req.headers.cookie'],
      censor: REDACTED,
    },
  };
}
