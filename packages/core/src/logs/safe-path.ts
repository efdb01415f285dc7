import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, PathOutsideRootError } from '../errors.js';

// What a segment must not hold once any percent-encoding a caller might still decode is undone:
// NUL, a backslash (a separator on Windows, never legitimate in our names) or a `..` component.
const DANGEROUS_DECODED = /\0|\\|(^|\/)\.\.(\/|$)/;
// `%2e`, `%2f`, `%5c`, `%00` and their double-encoded `%25…` forms. A literal file name may contain
// them, but none of ours does, so refusing them is cheaper than reasoning about who decodes when.
const ENCODED_SPECIAL = /%(25)*(2e|2f|5c|00)/i;

/**
 * Joins `segments` under `root` and proves the result stays inside it, both by name and on disk
 * (every symlink resolved with `realpath`). Returns the real, absolute path of the target, or of the
 * deepest existing ancestor with the missing rest appended when the target does not exist yet.
 *
 * A segment may contain `/` (nested names) but not `..`, a leading `/`, a drive letter, `\`, NUL or
 * percent-encoded versions of those; any of these, or a symlink that leads out of the root, throws
 * `PathOutsideRootError`. A missing root throws `NotFoundError` (`log_root_not_found`).
 *
 * The check is made on names at call time: a symlink swapped in between this call and an `open` by
 * name is not caught, so readers open with openLogFile, which checks the open descriptor again.
 */
export async function resolveInsideRoot(root: string, ...segments: string[]): Promise<string> {
  for (const segment of segments) assertSafeSegment(segment);

  const lexicalRoot = path.resolve(root);
  const lexicalTarget = path.resolve(lexicalRoot, ...segments);
  if (!isInside(lexicalRoot, lexicalTarget)) throw new PathOutsideRootError();

  let realRoot: string;
  try {
    realRoot = await realpath(lexicalRoot);
  } catch (err) {
    if (isMissing(err)) throw new NotFoundError('log_root', `The folder ${lexicalRoot} does not exist`);
    throw err;
  }

  const realTarget = await realpathOfDeepestExisting(lexicalTarget);
  if (!isInside(realRoot, realTarget)) throw new PathOutsideRootError();
  return realTarget;
}

function assertSafeSegment(segment: string): void {
  if (typeof segment !== 'string') throw new PathOutsideRootError();
  if (path.isAbsolute(segment) || /^[A-Za-z]:/.test(segment) || segment.startsWith('/')) {
    throw new PathOutsideRootError();
  }
  let decoded = segment;
  // Undo up to three layers of encoding; anything still encoded after that is refused below.
  for (let layer = 0; layer < 4; layer += 1) {
    if (DANGEROUS_DECODED.test(decoded)) throw new PathOutsideRootError();
    const next = safeDecode(decoded);
    if (next === decoded) break;
    decoded = next;
  }
  if (ENCODED_SPECIAL.test(segment)) throw new PathOutsideRootError();
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  if (relative === '') return true;
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** `realpath` of `target`, or of its deepest existing ancestor joined with the missing remainder. */
async function realpathOfDeepestExisting(target: string): Promise<string> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      const real = await realpath(current);
      return path.join(real, ...missing.reverse());
    } catch (err) {
      // A dangling symlink also reports ENOENT; its own name stays in `missing`, which is harmless
      // because nothing can be read through it.
      if (!isMissing(err)) throw err;
      const parent = path.dirname(current);
      if (parent === current) return target;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
