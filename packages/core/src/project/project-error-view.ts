import path from 'node:path';
import { type CoreError, ProjectFileError } from '../errors.js';
import { maskUriPasswords, REDACTED } from '../plugins/redact.js';

/**
 * `key: value` / `key = value` / `"key": "value"` whose key looks like it holds a secret: the rest of
 * the line is masked (a broken line may not end where the value does, so all of it goes).
 */
const SECRET_ASSIGNMENT =
  /((?:^|[\s{,[("'])["']?[\w.-]*(?:password|passwd|pwd|secret|token|key|credential)[\w.-]*["']?[ \t]*[:=][ \t]*)(?=\S)[^\n]*/gim;

/** Hides values that look secret in text quoted from a project file: secret-named keys, URI passwords. */
export function maskSecretText(text: string): string {
  return maskUriPasswords(text).replace(SECRET_ASSIGNMENT, `$1${REDACTED}`);
}

/** A project load error as readers may see it: paths relative to the project, secrets masked. */
export interface ProjectErrorView {
  code: string;
  /** The whole message, the quoted lines included. */
  message: string;
  /** The first paragraph: what is wrong and where. */
  summary: string;
  /** The quoted lines of the file (YAML's code frame), or null. */
  excerpt: string | null;
  /** Relative to the project root. */
  file: string | null;
  line: number | null;
  column: number | null;
}

export function projectErrorView(root: string, error: CoreError): ProjectErrorView {
  const absoluteRoot = path.resolve(root);
  // Wrapped system errors (EACCES on /abs/path/meltano.yml) name absolute paths; readers get relative ones.
  const relativised = error.message
    .split(`${absoluteRoot}${path.sep}`)
    .join('')
    .split(absoluteRoot)
    .join('.');
  const message = maskSecretText(relativised).trimEnd();
  const [summary = message, ...rest] = message.split(/\n\s*\n/);
  const excerpt = rest.join('\n\n').trim();
  const location = error instanceof ProjectFileError ? error.location : null;
  return {
    code: error.code,
    message,
    summary: summary.trim(),
    excerpt: excerpt === '' ? null : excerpt,
    file: location ? path.relative(absoluteRoot, path.resolve(absoluteRoot, location.file)) : null,
    line: location?.line ?? null,
    column: location?.column ?? null,
  };
}
