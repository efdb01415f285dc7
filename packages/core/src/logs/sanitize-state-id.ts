/**
 * How Meltano turns a state ID into a directory name under `<logs root>/elt/`. The log viewer must
 * compute the same name Meltano wrote, so these mirror Meltano's Python byte for byte where we can.
 */

// Python's `str.split()` (no argument) splits on these ASCII characters; \x1c-\x1f are "whitespace"
// to Python but not to JS `\s`.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching these control characters is the point.
const PYTHON_ASCII_WHITESPACE = /[\t\n\v\f\r \x1c-\x1f]+/;
// Without the `u` flag this also matches each half of a surrogate pair, i.e. every astral character.
const NON_ASCII = /[\u0080-\uffff]/g;
const OUTSIDE_SAFE_SET = /[^A-Za-z0-9_.-]/g;
const EDGE_DOTS_AND_UNDERSCORES = /^[._]+|[._]+$/g;
const WINDOWS_DEVICE_NAMES = new Set([
  'CON',
  'AUX',
  'COM1',
  'COM2',
  'COM3',
  'COM4',
  'LPT1',
  'LPT2',
  'LPT3',
  'PRN',
  'NUL',
]);

/**
 * Meltano's `sanitize_filename` (Werkzeug's `secure_filename`), used for
 * `<logs root>/elt/<sanitized state id>/<run id>/elt.log` in v2, v3 and v4:
 * NFKD-normalise, drop non-ASCII, path separators → space, whitespace runs → `_`, delete everything
 * outside `[A-Za-z0-9_.-]`, strip leading/trailing `.` and `_`; on Windows prefix device names with `_`.
 *
 * `dev:tap-x-to-target-y` → `devtap-x-to-target-y`. The result never contains a separator and never
 * starts with `.`, so it cannot be `.` or `..`; it may be empty (e.g. an all-CJK state ID), in which
 * case Meltano writes `elt/<run id>/elt.log` directly.
 *
 * `platform` only changes which characters count as path separators (`/`, plus `\` on Windows — on
 * POSIX Python leaves `\` to the delete step) and the device-name rule; it defaults to the host's,
 * because the logs were written by Meltano on this machine.
 */
export function sanitizeStateId(stateId: string, platform: NodeJS.Platform = process.platform): string {
  let name = stateId.normalize('NFKD').replace(NON_ASCII, '');
  const separators = platform === 'win32' ? ['/', '\\'] : ['/'];
  for (const separator of separators) name = name.split(separator).join(' ');
  name = name
    .split(PYTHON_ASCII_WHITESPACE)
    .filter((part) => part !== '')
    .join('_')
    .replace(OUTSIDE_SAFE_SET, '')
    .replace(EDGE_DOTS_AND_UNDERSCORES, '');
  const stem = name.split('.')[0] ?? '';
  if (platform === 'win32' && name !== '' && WINDOWS_DEVICE_NAMES.has(stem.toUpperCase())) {
    name = `_${name}`;
  }
  return name;
}

// Python's `\w` on str: Unicode letters, digits/numbers and `_` (not combining marks).
const NON_WORD = /[^\p{L}\p{N}_]/gu;

/**
 * Meltano's own `meltano.core.utils.slugify`, used for the legacy log folder
 * `<sys dir>/run/elt/<slug>/…`: lowercase, map ` `, `-`, `.`, `/` to `_`, delete non-word characters,
 * then join the `_`-separated words with `-` (`[Some] _ Article's Title--` → `some-articles-title`,
 * `dev:tap-x` → `devtap-x`). Approximate where Python and JS disagree on Unicode: `\w` is taken as
 * letters, numbers and `_`, and `toLowerCase` stands in for `str.lower`. The result has no
 * separators and no dots, so it is always a single safe path segment (possibly empty).
 */
export function slugifyLegacy(stateId: string): string {
  return stateId
    .toLowerCase()
    .replace(/[ \-./]/g, '_')
    .replace(NON_WORD, '')
    .split('_')
    .filter((word) => word !== '')
    .join('-');
}
