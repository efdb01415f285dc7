import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sanitizeStateId, slugifyLegacy } from '../../src/logs/sanitize-state-id.js';
import { fixtureRuns, MELTANO_VERSIONS, REAL_MELTANO_DIR } from './fixtures.js';

// Expected values were produced by running Meltano's Python (`sanitize_filename` =
// Werkzeug's `secure_filename`, and `meltano.core.utils.slugify`) on Linux.
const CASES: Array<[input: string, sanitized: string, slug: string]> = [
  ['dev:tap-demo-to-target-demo', 'devtap-demo-to-target-demo', 'devtap-demo-to-target-demo'],
  ['prod:tap-demo-to-target-demo', 'prodtap-demo-to-target-demo', 'prodtap-demo-to-target-demo'],
  ['dev:tap-x-to-target-y', 'devtap-x-to-target-y', 'devtap-x-to-target-y'],
  ['manual-ok', 'manual-ok', 'manual-ok'],
  ['../../etc', 'etc', 'etc'],
  ['..%2f..', '2f', '2f'],
  ['/etc/passwd', 'etc_passwd', 'etc-passwd'],
  ['a/../../b', 'a_.._.._b', 'a-b'],
  ['a\u0000b', 'ab', 'ab'],
  ['..', '', ''],
  ['.', '', ''],
  ['', '', ''],
  ['  spaced   out\tname ', 'spaced_out_name', 'spaced-outname'],
  ['café:ünïcödé', 'cafeunicode', 'caféünïcödé'],
  ['ｆｕｌｌｗｉｄｔｈ', 'fullwidth', 'ｆｕｌｌｗｉｄｔｈ'],
  ['日本語', '', '日本語'],
  ['emoji🚀run', 'emojirun', 'emojirun'],
  ['a\\b', 'ab', 'ab'],
  ['__.hidden._', 'hidden', 'hidden'],
  ['a\u001cb', 'a_b', 'ab'],
  ['Ω≈ç√', 'c', 'ωç'],
  ['x/y z', 'x_y_z', 'x-y-z'],
  ['a//b', 'a_b', 'a-b'],
  ["[Some] _ Article's Title--", 'Some___Articles_Title--', 'some-articles-title'],
  ['Straße', 'Strae', 'straße'],
  ['ﬁle', 'file', 'ﬁle'],
  ['tab\there', 'tab_here', 'tabhere'],
  ['..a..', 'a', 'a'],
  ['-lead-', '-lead-', 'lead'],
];

describe('sanitizeStateId', () => {
  it.each(CASES)('sanitizes %j like Meltano on Linux', (input, sanitized) => {
    expect(sanitizeStateId(input, 'linux')).toBe(sanitized);
  });

  it('names exactly the folders Meltano wrote in every fixture', () => {
    for (const version of MELTANO_VERSIONS) {
      const eltDir =
        version === 'v4.2.2'
          ? path.join(REAL_MELTANO_DIR, version, 'user-log-dir', 'elt')
          : path.join(REAL_MELTANO_DIR, version, 'project', '.meltano', 'logs', 'elt');
      const onDisk = new Set(readdirSync(eltDir));
      const runs = fixtureRuns(version).filter((run) => run.state !== 'STATE_EDIT');
      for (const run of runs) expect(onDisk, run.job_name).toContain(sanitizeStateId(run.job_name, 'linux'));
    }
  });

  it('treats a backslash as a separator only on Windows, and prefixes device names there', () => {
    expect(sanitizeStateId('a\\b', 'win32')).toBe('a_b');
    expect(sanitizeStateId('con.log', 'win32')).toBe('_con.log');
    expect(sanitizeStateId('NUL', 'win32')).toBe('_NUL');
    expect(sanitizeStateId('NUL', 'linux')).toBe('NUL');
  });

  it('never yields a name that could climb out of elt/', () => {
    for (const [input] of CASES) {
      const name = sanitizeStateId(input, 'linux');
      expect(name).toMatch(/^[A-Za-z0-9_.-]*$/);
      expect(name).not.toMatch(/^\.|\.$/);
    }
  });
});

describe('slugifyLegacy', () => {
  it.each(CASES)('slugifies %j like Meltano', (input, _sanitized, slug) => {
    expect(slugifyLegacy(input)).toBe(slug);
  });
});
