import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFailureCause } from '../../src/failure-causes/failure-cause.js';
import { REAL_MELTANO_DIR } from '../logs/fixtures.js';

const BOOM = "RuntimeError: HTTP 500 from upstream API while paginating 'users'";
const TS = '2026-11-21T04:36:48.418458Z';

function numbered(text: string) {
  return text.split('\n').map((t, i) => ({ line: i + 1, text: t }));
}

/** The one elt.log of a state ID's folder in a real-Meltano fixture. */
function realLog(version: string, stateFolder: string): string {
  const elt =
    version === 'v4.2.2'
      ? path.join(REAL_MELTANO_DIR, version, 'user-log-dir', 'elt')
      : path.join(REAL_MELTANO_DIR, version, 'project', '.meltano', 'logs', 'elt');
  const [run] = readdirSync(path.join(elt, stateFolder));
  return readFileSync(path.join(elt, stateFolder, run ?? '', 'elt.log'), 'utf8');
}

/** A plugin's stderr line as Meltano 2/3 logs it (structlog pads the event to 30 columns). */
function v3(name: string, cmdType: string, message: string, level = 'info'): string {
  const ctx = `cmd_type=${cmdType} name=${name} run_id=01a1fc64-830a-7eb2-802c-09796b82fbc3 state_id=demo stdio=stderr`;
  return `${TS} [${level.padEnd(9)}] ${message.padEnd(30)} ${ctx}`;
}
function v3meltano(message: string, level = 'error'): string {
  return `${TS} [${level.padEnd(9)}] ${message.padEnd(30)} run_id=01a1fc64-830a-7eb2-802c-09796b82fbc3`;
}
/** As Meltano 4 logs it: a 12-column logger name, no context. */
function v4(name: string, message: string, level = 'info'): string {
  return `${TS} [${level.padEnd(9)}] ${name.padEnd(12)} ${message}`;
}
const tap = (m: string, level?: string) => v3('tap-github', 'extractor', m, level);
const target = (m: string, level?: string) => v3('target-postgres', 'loader', m, level);

describe('findFailureCause on logs the real Meltano CLI wrote', () => {
  for (const [version, folder] of [
    ['v2.20.0', 'failing-demo'],
    ['v3.9.5', 'failing-demo'],
    ['v3.9.5', 'devtap-demo-fail-to-target-demo'],
    ['v4.2.2', 'failing-demo'],
    ['v4.2.2', 'devtap-demo-fail-to-target-demo'],
    ['v4.2.2', 'manual-fail'],
  ] as const) {
    it(`${version} ${folder}: the tap's RuntimeError, not Meltano's "Extractor failed"`, () => {
      const text = realLog(version, folder);
      const lines = text.split('\n');
      const cause = findFailureCause(numbered(text));
      expect(cause).toMatchObject({ message: BOOM, kind: 'exception', source: 'tap-demo-fail' });
      expect(cause?.cmd_type).toBe(version === 'v4.2.2' ? null : 'extractor');
      // The number is the line that holds it, right after the frame that raised it.
      expect(lines[(cause?.line ?? 0) - 1]).toContain(BOOM);
      expect(lines[(cause?.line ?? 0) - 2]).toContain('raise RuntimeError(');
    });
  }

  it('v4: the plugin type comes from the project, which v4 logs do not print', () => {
    const cause = findFailureCause(numbered(realLog('v4.2.2', 'failing-demo')), {
      pluginTypes: new Map([['tap-demo-fail', 'extractor']]),
    });
    expect(cause?.cmd_type).toBe('extractor');
  });

  it('a killed run (no error line at all) has no cause in its log', () => {
    expect(findFailureCause(numbered(realLog('v3.9.5', 'killed-stale')))).toBeNull();
  });

  it("Meltano's own lines are the fallback when the plugin's traceback is not in the lines read", () => {
    const text = realLog('v3.9.5', 'devtap-demo-fail-to-target-demo');
    const tail = numbered(text).filter((l) => !l.text.includes('tap-demo-fail'));
    expect(findFailureCause(tail)).toMatchObject({
      kind: 'meltano',
      source: 'meltano',
      message: 'Extractor failed',
    });
    const elt = numbered(realLog('v4.2.2', 'failing-demo')).filter((l) => !l.text.includes('tap-demo-fail'));
    expect(findFailureCause(elt)).toMatchObject({
      kind: 'meltano',
      message: 'ELT could not be completed: Extractor failed.',
      line: 21,
    });
  });
});

describe('findFailureCause on Python and Singer shapes', () => {
  it('a chained traceback ("During handling…"): the exception that escaped', () => {
    const cause = findFailureCause(
      numbered(
        [
          tap('Traceback (most recent call last):'),
          tap(
            '  File "/venv/lib/python3.11/site-packages/requests/models.py", line 1021, in raise_for_status',
          ),
          tap('    raise HTTPError(http_error_msg, response=self)'),
          tap(
            'requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://api.github.com/user',
          ),
          tap(''),
          tap('During handling of the above exception, another exception occurred:'),
          tap(''),
          tap('Traceback (most recent call last):'),
          tap('  File "/venv/bin/tap-github", line 8, in <module>'),
          tap('    sys.exit(cli())'),
          tap('singer_sdk.exceptions.FatalAPIError: 401 Client Error: Unauthorized for path: /user'),
          target('INFO target-postgres: done'),
        ].join('\n'),
      ),
    );
    expect(cause).toEqual({
      message: 'singer_sdk.exceptions.FatalAPIError: 401 Client Error: Unauthorized for path: /user',
      line: 11,
      source: 'tap-github',
      cmd_type: 'extractor',
      kind: 'exception',
    });
  });

  it("`raise … from`: the final line, with the cause's message kept whole", () => {
    const cause = findFailureCause(
      numbered(
        [
          v4('tap-github', 'Traceback (most recent call last):'),
          v4('tap-github', '  File "/app/tap.py", line 3, in fetch'),
          v4('tap-github', "KeyError: 'id'"),
          v4('tap-github', ''),
          v4('tap-github', 'The above exception was the direct cause of the following exception:'),
          v4('tap-github', ''),
          v4('tap-github', 'Traceback (most recent call last):'),
          v4('tap-github', '  File "/app/tap.py", line 9, in <module>'),
          v4('tap-github', '    raise SchemaError("record without id") from err'),
          v4('tap-github', 'tap_github.errors.SchemaError: record without id'),
          v4('meltano', 'Extractor failed', 'error'),
        ].join('\n'),
      ),
    );
    expect(cause).toMatchObject({ message: 'tap_github.errors.SchemaError: record without id', line: 10 });
  });

  it('an SDK ERROR line, then the traceback: the traceback wins', () => {
    const cause = findFailureCause(
      numbered(
        [
          tap(
            "2026-11-21 04:36:48,410 | ERROR    | tap-github.issues | An unhandled error occurred while syncing 'issues'",
          ),
          tap('Traceback (most recent call last):'),
          tap(
            '  File "/venv/lib/python3.11/site-packages/singer_sdk/streams/rest.py", line 410, in request_records',
          ),
          tap('    resp = decorated_request(prepared_request, context)'),
          tap(
            'singer_sdk.exceptions.RetriableAPIError: 503 Server Error: Service Unavailable for path: /repos/issues',
          ),
          v3meltano('Extractor failed'),
        ].join('\n'),
      ),
    );
    expect(cause).toMatchObject({ kind: 'exception', line: 5 });
    expect(cause?.message).toMatch(/^singer_sdk\.exceptions\.RetriableAPIError: 503/);
  });

  it('without a traceback, the last ERROR/CRITICAL line of the plugin Meltano says failed', () => {
    const cause = findFailureCause(
      numbered(
        [
          tap('CRITICAL tap-github: rate limit exceeded'),
          tap('ERROR Could not fetch page 3'),
          target('2026-11-21 04:36:48,410 | ERROR    | target-postgres | connection reset'),
          target('INFO done'),
          v3meltano('Loading failed'),
          v3meltano('Loader failed'),
          v3meltano('Need help fixing this problem? Visit http://melta.no/ for troubleshooting steps'),
        ].join('\n'),
      ),
    );
    expect(cause).toEqual({
      message: '2026-11-21 04:36:48,410 | ERROR    | target-postgres | connection reset',
      line: 3,
      source: 'target-postgres',
      cmd_type: 'loader',
      kind: 'error_line',
    });
  });

  it('"Extractor failed": the extractor\'s error line, though the loader logged one later', () => {
    const cause = findFailureCause(
      numbered(
        [
          tap('CRITICAL bad credentials'),
          target('level=error msg="stdin closed"'),
          v3meltano('Extractor failed'),
        ].join('\n'),
      ),
    );
    expect(cause).toMatchObject({ message: 'CRITICAL bad credentials', source: 'tap-github' });
  });

  it('an error level Meltano gave a plugin line (structured logging) counts as an error line', () => {
    const cause = findFailureCause(numbered(tap('Failed to parse the response body', 'error')));
    expect(cause).toMatchObject({ kind: 'error_line', message: 'Failed to parse the response body' });
  });

  it("interleaved sources: the target's lines do not end the tap's traceback", () => {
    const cause = findFailureCause(
      numbered(
        [
          tap('Traceback (most recent call last):'),
          target('INFO target-postgres: got schema'),
          tap('  File "/app/tap.py", line 3, in fetch'),
          target('INFO target-postgres: wrote 3 records'),
          tap('ValueError: bad page token'),
        ].join('\n'),
      ),
    );
    expect(cause).toMatchObject({ message: 'ValueError: bad page token', line: 5 });
  });

  it("keeps the plugin's own key=value text and strips Meltano's context", () => {
    const cause = findFailureCause(numbered(tap('ERROR retrying page=3 after status=429')));
    expect(cause?.message).toBe('ERROR retrying page=3 after status=429');
  });

  it('an INFO line that merely mentions an error is not a cause', () => {
    expect(findFailureCause(numbered(tap('INFO 0 errors so far; ERRORS table is empty')))).toBeNull();
  });
});
