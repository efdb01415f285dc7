import path from 'node:path';
import { InvalidDatabaseUriError } from '../errors.js';

/** Where Meltano's system database lives, as the CLI would connect to it. */
export type DatabaseTarget =
  | { kind: 'sqlite'; file: string; display: string }
  | {
      kind: 'postgres';
      /** A `postgresql://` URL for node-postgres, components re-encoded; carries the password. */
      connectionString: string;
      /** From `?options=-csearch_path%3D<schema>`; null when not set. */
      searchPath: string | null;
      /** The URI with its password replaced by `****`: safe for logs and the API. */
      display: string;
    };

export interface DatabaseUriContext {
  projectRoot: string;
  /** SQLAlchemy resolves `sqlite:///relative.db` against the process working directory. */
  cwd: string;
  sysDir: string;
}

/** Meltano's default: `sqlite:///$MELTANO_SYS_DIR_ROOT/meltano.db`. */
export function defaultDatabaseUri(sysDir: string): string {
  return `sqlite:///${path.join(sysDir, 'meltano.db')}`;
}

// SQLAlchemy's own URL pattern (sqlalchemy/engine/url.py): the password runs up to the first '@'
// and may hold raw '/', ':' or '?', which a WHATWG URL parser would misread.
const SQLALCHEMY_URL =
  /^(?<name>[\w+]+):\/\/(?:(?<username>[^:/]*)(?::(?<password>[^@]*))?@)?(?:(?:\[(?<ipv6host>[^/?]+)\]|(?<ipv4host>[^/:?]+))?(?::(?<port>[^/?]*))?)?(?:\/(?<database>[^?]*))?(?:\?(?<query>.*))?$/s;

const POSTGRES_SCHEME = /^postgresql(\+[a-z0-9_]+)?$/;
const SQLITE_SCHEMES = new Set(['sqlite', 'sqlite+pysqlite']);

/**
 * Parses a Meltano `database_uri` (any form SQLAlchemy accepts that this UI can open).
 *
 * - `sqlite:///rel/path.db` is relative to `cwd`; `sqlite:////abs/path.db` is absolute. SQLite query
 *   parameters (`?timeout=…`) are ignored. In-memory databases are rejected: nothing could share them.
 * - `postgresql://`, `postgresql+psycopg://`, `postgresql+psycopg2://` (any `postgresql+driver`).
 * - `postgres://` is rejected, like SQLAlchemy rejects it, because the CLI reading the same setting
 *   would fail on it; the message says to use `postgresql://`.
 * - `$MELTANO_SYS_DIR_ROOT` / `$MELTANO_PROJECT_ROOT` left unexpanded by the caller are expanded here.
 */
export function parseDatabaseUri(uri: string, ctx: DatabaseUriContext): DatabaseTarget {
  const expanded = expandMeltanoDirs(uri.trim(), ctx);
  if (expanded === '') throw new InvalidDatabaseUriError('The database URI is empty');
  const scheme = /^([^:/]+):\/\//.exec(expanded)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw new InvalidDatabaseUriError(
      `'${maskPassword(expanded)}' is not a database URI; expected sqlite:///path/to/meltano.db or postgresql://user:password@host/db`,
    );
  }
  if (SQLITE_SCHEMES.has(scheme)) return parseSqlite(expanded, ctx);
  if (POSTGRES_SCHEME.test(scheme)) return parsePostgres(expanded);
  if (scheme === 'postgres') {
    throw new InvalidDatabaseUriError(
      "The scheme 'postgres://' is not accepted by SQLAlchemy, so Meltano cannot use this URI either; write it as 'postgresql://…'",
    );
  }
  throw new InvalidDatabaseUriError(
    `Database scheme '${scheme}://' is not supported; use sqlite:///… or postgresql://… (got '${maskPassword(expanded)}')`,
  );
}

function expandMeltanoDirs(uri: string, ctx: DatabaseUriContext): string {
  return uri.replace(
    /\$(?:\{(MELTANO_SYS_DIR_ROOT|MELTANO_PROJECT_ROOT)\}|(MELTANO_SYS_DIR_ROOT|MELTANO_PROJECT_ROOT)\b)/g,
    (_, a, b) => ((a ?? b) === 'MELTANO_SYS_DIR_ROOT' ? ctx.sysDir : ctx.projectRoot),
  );
}

function parseSqlite(uri: string, ctx: DatabaseUriContext): DatabaseTarget {
  // sqlite://<host>/<database>: everything after the third slash is the path, kept verbatim.
  const rest = uri.slice(uri.indexOf('://') + 3);
  const slash = rest.indexOf('/');
  const host = slash === -1 ? rest : rest.slice(0, slash);
  if (host !== '' && !host.startsWith('?')) {
    throw new InvalidDatabaseUriError(
      `SQLite URIs have no host ('${host}'); use sqlite:///relative/path.db or sqlite:////absolute/path.db`,
    );
  }
  const database = slash === -1 ? '' : (rest.slice(slash + 1).split('?')[0] ?? '');
  if (database === '' || database === ':memory:') {
    throw new InvalidDatabaseUriError(
      'An in-memory SQLite database cannot be shared with the Meltano CLI; point database_uri at a file',
    );
  }
  const file = path.resolve(ctx.cwd, database);
  return { kind: 'sqlite', file, display: `sqlite:///${file}` };
}

function parsePostgres(uri: string): DatabaseTarget {
  const m = SQLALCHEMY_URL.exec(uri)?.groups;
  if (!m) throw new InvalidDatabaseUriError(`Cannot parse database URI '${maskPassword(uri)}'`);
  const port = m.port === undefined || m.port === '' ? null : Number(m.port);
  if (port !== null && (!Number.isInteger(port) || port <= 0 || port > 65535)) {
    throw new InvalidDatabaseUriError(`Invalid port '${m.port}' in database URI '${maskPassword(uri)}'`);
  }
  const username = m.username === undefined ? null : safeDecode(m.username);
  const password = m.password === undefined ? null : safeDecode(m.password);
  const host = m.ipv6host !== undefined ? `[${m.ipv6host}]` : (m.ipv4host ?? '');
  // SQLAlchemy decodes the query with parse_qsl ('+' is a space); URLSearchParams does the same.
  const query = new URLSearchParams(m.query ?? '');

  let userinfo = '';
  if (username !== null) {
    userinfo = encodeURIComponent(username);
    if (password !== null) userinfo += `:${encodeURIComponent(password)}`;
    userinfo += '@';
  }
  const database = m.database === undefined ? '' : `/${encodeURIComponent(safeDecode(m.database))}`;
  const search = query.toString();
  const connectionString = `postgresql://${userinfo}${host}${port === null ? '' : `:${port}`}${database}${search ? `?${search}` : ''}`;
  return {
    kind: 'postgres',
    connectionString,
    searchPath: searchPathFromOptions(query.get('options')),
    display: maskPassword(uri),
  };
}

/** `-csearch_path=x`, `-c search_path=x,y` → `x` / `x,y`. */
function searchPathFromOptions(options: string | null): string | null {
  if (options === null) return null;
  const m = /(?:^|\s)-c\s*search_path=(\S+)/.exec(options);
  return m?.[1] ?? null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Replaces the password of a URI (SQLAlchemy's rule: up to the first '@') by `****`. */
export function maskPassword(uri: string): string {
  return uri.replace(/^([\w+]+:\/\/[^:/@]*:)[^@]*@/, '$1****@');
}
