import { reachableAddress } from '@meltano-ui/server';

export interface ShownUrlInput {
  /** ui.server_name: `host`, `host:port`, or (as some write it) a full `https://host` origin. */
  serverName: string | null;
  /** ui.session_cookie_secure: cookies only over HTTPS, so people reach the UI through a TLS proxy. */
  secureCookies: boolean;
  /** The address the server is bound to and the port it got. */
  bindHost: string;
  port: number;
  /** ui.base_path, normalised (`''` or `/path`). */
  basePath: string;
}

function withBrackets(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** An address of this machine that reaches the bound socket (0.0.0.0 and :: are not addresses). */
export function localUrl(input: Pick<ShownUrlInput, 'bindHost' | 'port' | 'basePath'>): string {
  return `http://${withBrackets(reachableAddress(input.bindHost))}:${input.port}${input.basePath}/`;
}

/**
 * The URL to open: with ui.server_name set the server answers only for that name (the host check), so
 * the URL uses it, over https when cookies are Secure-only (a TLS proxy is in front, on its own port
 * unless the name carries one) and otherwise on the port this server listens on. Without it, a local
 * address of the bound socket.
 */
export function shownUrl(input: ShownUrlInput): string {
  const name = input.serverName?.trim() ?? '';
  if (name === '') return localUrl(input);
  if (/^https?:\/\//i.test(name)) return `${name.replace(/\/+$/, '')}${input.basePath}/`;
  const hasPort = /^\[[^\]]+\]:\d+$|^[^:[\]]+:\d+$/.test(name);
  const scheme = input.secureCookies ? 'https' : 'http';
  const port = hasPort || input.secureCookies || input.port === 80 ? '' : `:${input.port}`;
  const host = hasPort ? name : withBrackets(name);
  return `${scheme}://${host}${port}${input.basePath}/`;
}
