import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/audit/audit.types.js';
import { createAuditLog } from '../../src/audit/audit-log.js';
import { openCoreContext } from '../../src/core-context.js';
import type { UiTables } from '../../src/ui-db/migrate-ui-tables.js';

const ENTRY: AuditEntry = {
  at: '2026-12-01T00:00:00.000Z',
  actor: 'alice',
  client_ip: '127.0.0.1',
  action: 'POST /api/v1/schedules/{name}/run',
  target: { name: 'nightly' },
  pipeline: 'nightly',
  status: 202,
  outcome: 'ok',
  details: {},
};

/** A system DB that is down: every use fails. */
const downTables: UiTables = {
  kind: 'sqlite',
  with: async () => {
    throw new Error('database is down');
  },
  databaseExists: async () => false,
};

describe('the audit log', () => {
  it('never throws to the request: a failed write is reported to the listeners', async () => {
    const log = createAuditLog({ tables: downTables, retentionDays: 365 });
    const failures: [string, string][] = [];
    log.onFailure((what, err) => failures.push([what, (err as Error).message]));
    expect(() => log.record(ENTRY)).not.toThrow();
    log.record(ENTRY);
    await log.idle();
    expect(failures).toEqual([
      ['write', 'database is down'],
      ['write', 'database is down'],
    ]);
    await log.close();
  });

  it('reports a failed purge and keeps running', async () => {
    const log = createAuditLog({ tables: downTables, retentionDays: 30, purgeEveryMs: 20 });
    const failures: string[] = [];
    log.onFailure((what) => failures.push(what));
    log.startPurge();
    await new Promise((r) => setTimeout(r, 70));
    await log.close();
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(new Set(failures)).toEqual(new Set(['purge']));
  });
});

describe('ui.audit_retention_days', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'core-audit-'));
    fs.writeFileSync(
      path.join(root, 'meltano.yml'),
      'default_environment: dev\nenvironments: [{name: dev}]\n',
    );
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const open = (env: NodeJS.ProcessEnv) => openCoreContext({ projectRoot: root, env, homeDir: root });

  it('is 365 days unless set, and a value that is not a positive number of days stops the boot', async () => {
    const core = await open({});
    expect(core.audit.retentionDays).toBe(365);
    await core.close();
    const custom = await open({ MELTANO_UI_AUDIT_RETENTION_DAYS: '30' });
    expect(custom.audit.retentionDays).toBe(30);
    await custom.close();
    await expect(open({ MELTANO_UI_AUDIT_RETENTION_DAYS: '0' })).rejects.toThrow(
      /ui\.audit_retention_days must be a positive number of days/,
    );
    await expect(open({ MELTANO_UI_AUDIT_RETENTION_DAYS: 'forever' })).rejects.toThrow(/must be an integer/);
  });
});
