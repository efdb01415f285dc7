import type { FastifyRequest } from 'fastify';

/** A Host header value: a name or IPv4 address, or a bracketed IPv6 address, and an optional port. */
const HOST_VALUE = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export interface ParsedHost {
  /** Lower case, IPv6 without brackets, no trailing dot, IPv4 in dotted form (`127.1` → `127.0.0.1`). */
  hostname: string;
  /** '' when the Host has none (the scheme's default). */
  port: string;
}

/** Parses a Host header the way a browser would have built it; null for anything that is not one. */
export function parseHost(value: string | undefined): ParsedHost | null {
  if (value === undefined || !HOST_VALUE.test(value.trim())) return null;
  try {
    const url = new URL(`http://${value.trim()}`);
    return { hostname: url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, ''), port: url.port };
  } catch {
    return null;
  }
}

/**
 * The Host the client asked for. Fastify's `request.host` prefers a trusted proxy's X-Forwarded-Host,
 * which would let anything behind that proxy choose the name the host and CSRF checks see; it is
 * believed only with `ui.trust_forwarded_host`.
 */
export function requestHost(request: FastifyRequest, trustForwardedHost: boolean): string {
  return trustForwardedHost ? request.host : (request.headers.host ?? '');
}

/**
 * This server's origin as the client sees it: the scheme from the socket or a trusted proxy's
 * X-Forwarded-Proto, the Host; default ports dropped (`http://x:80` is `http://x`). Null without a
 * usable Host.
 */
export function requestOrigin(request: FastifyRequest, trustForwardedHost: boolean): string | null {
  const host = requestHost(request, trustForwardedHost);
  if (parseHost(host) === null) return null;
  const scheme = request.protocol === 'https' ? 'https' : 'http';
  return normaliseOrigin(`${scheme}://${host}`);
}

/** `HTTPS://Example.com:443/page` → `https://example.com`; null for anything but an http(s) URL. */
export function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}
