export interface PostgresCluster {
  readonly port: number;
  /** The temp folder holding the data folder, the socket and server.log. */
  readonly dir: string;
  readonly running: boolean;
  /** A connection URI as postgres (trust auth) to `database` (default `postgres`). */
  url(database?: string): string;
  /** Starts the server again on the same port and data; returns once it accepts connections. */
  start(): void;
  /** `fast` (default) rolls back and disconnects every client; `immediate` aborts. */
  stop(mode?: 'smart' | 'fast' | 'immediate'): void;
  /** SIGSTOP to the postmaster and its children: a server that accepts TCP and never answers. */
  freeze(): void;
  /** SIGCONT to the same processes. */
  thaw(): void;
  /** Stops the server and removes the temp folder. */
  destroy(): void;
}

/** The server binaries used (the newest /usr/lib/postgresql/<major>/bin, or MELTANO_UI_TEST_PG_BIN). */
export function postgresBinDir(): string;
/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number>;
/** A cluster of the test's own: initdb into a temp folder (trust auth), started on a free port. */
export function startPostgresCluster(prefix?: string): Promise<PostgresCluster>;
