import { describe, expect, it } from 'vitest';
import { timestampToMicros } from '../../src/db/timestamps.js';
import { formatRunId } from '../../src/runs/run-row.js';
import {
  HEARTBEAT_VALID_MINUTES,
  HEARTBEATLESS_JOB_VALID_HOURS,
  isStale,
  runStatus,
  staleThresholds,
} from '../../src/runs/run-status.js';

const at = (iso: string) => timestampToMicros(iso)!;
const t = staleThresholds(at('2026-11-21T12:00:00Z'));

describe('run status', () => {
  it("uses Meltano's constants", () => {
    expect(HEARTBEAT_VALID_MINUTES).toBe(5);
    expect(HEARTBEATLESS_JOB_VALID_HOURS).toBe(24);
  });

  it('is stale when the heartbeat is strictly older than 5 minutes', () => {
    const run = (hb: string) => ({ lastHeartbeatAt: at(hb), startedAt: at('2026-11-21T00:00:00Z') });
    expect(isStale(run('2026-11-21T11:55:00Z'), t)).toBe(false);
    expect(isStale(run('2026-11-21T11:54:59.999999Z'), t)).toBe(true);
    expect(runStatus('RUNNING', run('2026-11-21T11:59:50Z'), t)).toBe('running');
    expect(runStatus('RUNNING', run('2026-11-21T11:00:00Z'), t)).toBe('stale');
  });

  it('falls back to started_at and 24 hours without a heartbeat; neither means not stale', () => {
    expect(isStale({ lastHeartbeatAt: null, startedAt: at('2026-11-20T12:00:00Z') }, t)).toBe(false);
    expect(isStale({ lastHeartbeatAt: null, startedAt: at('2026-11-20T11:59:59Z') }, t)).toBe(true);
    expect(isStale({ lastHeartbeatAt: null, startedAt: null }, t)).toBe(false);
  });

  it('maps the other states, and answers null for rows that are not runs', () => {
    const any = { lastHeartbeatAt: null, startedAt: null };
    expect(runStatus('SUCCESS', any, t)).toBe('success');
    expect(runStatus('FAIL', any, t)).toBe('failed');
    expect(runStatus('DEAD', any, t)).toBe('failed');
    expect(runStatus('STATE_EDIT', any, t)).toBeNull();
    expect(runStatus('IDLE', any, t)).toBeNull();
    expect(runStatus(null, any, t)).toBeNull();
  });

  it('formats run ids as dashed lowercase UUIDs', () => {
    expect(formatRunId('645B459E83414AFBB46B9AD3E44C131A')).toBe('645b459e-8341-4afb-b46b-9ad3e44c131a');
    expect(formatRunId('01a1fc6c-c6b1-79c8-ae27-c349219448eb')).toBe('01a1fc6c-c6b1-79c8-ae27-c349219448eb');
    expect(formatRunId(null)).toBeNull();
    expect(formatRunId('not-a-uuid')).toBe('not-a-uuid');
  });
});
