/**
 * The one error catalogue of core. Each error has a stable `code` (what API clients match on) and the
 * HTTP status the server maps it to; the server never invents its own codes for core failures.
 */
export class CoreError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, status: number, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** Where in which file a project file is broken. `line`/`column` are 1-based. */
export interface FileLocation {
  file: string;
  line: number | null;
  column: number | null;
}

export class ProjectNotFoundError extends CoreError {
  constructor(message: string) {
    super('project_not_found', 500, message);
  }
}

/** A project file that cannot be read or parsed; carries file, line and column. */
export class ProjectFileError extends CoreError {
  readonly location: FileLocation;
  constructor(message: string, location: FileLocation) {
    super('project_file_invalid', 503, message, { ...location });
    this.location = location;
  }
}

export class NotFoundError extends CoreError {
  constructor(what: string, message: string) {
    super(`${what}_not_found`, 404, message);
  }
}

export class InvalidInputError extends CoreError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_input', 400, message, details);
  }
}

/**
 * The system database could not be reached or answered with an unexpected error; `database_busy`
 * when another process (Meltano writing runs and heartbeats) held its lock longer than a write waits.
 */
export class DatabaseUnavailableError extends CoreError {
  constructor(message: string, code: 'database_unavailable' | 'database_busy' = 'database_unavailable') {
    super(code, 503, message);
  }
}

export class InvalidDatabaseUriError extends CoreError {
  constructor(message: string) {
    super('invalid_database_uri', 500, message);
  }
}

/** A path built from user input would leave its root (traversal, absolute path, symlink out). */
export class PathOutsideRootError extends CoreError {
  constructor() {
    super('path_outside_root', 400, 'The requested path is outside the allowed directory');
  }
}

export class RangeNotSatisfiableError extends CoreError {
  constructor(size: number) {
    super('range_not_satisfiable', 416, `The requested byte range is outside the file (size ${size})`, {
      size,
    });
  }
}

/** The request conflicts with what is going on (a pipeline already running, a run not ours to cancel). */
export class ConflictError extends CoreError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, 409, message, details);
  }
}

/** A line number past the end of a log; `details.lines` says how many lines it has. */
export class LineOutOfRangeError extends CoreError {
  constructor(line: number, lines: number) {
    super('line_out_of_range', 416, `Line ${line} is past the end of the log (it has ${lines} lines)`, {
      line,
      lines,
    });
  }
}

/**
 * Too many requests: one client's rate (`rate_limited`) or the server's queue of heavy log work
 * (`server_busy`). `retryAfterSeconds` becomes the Retry-After header.
 */
export class TooManyRequestsError extends CoreError {
  readonly retryAfterSeconds: number;
  constructor(code: 'rate_limited' | 'server_busy', message: string, retryAfterSeconds: number) {
    super(code, 429, message, { retry_after: retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
