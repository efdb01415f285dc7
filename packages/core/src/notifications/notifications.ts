import type { SystemDatabase } from '../db/system-database.js';
import type { Project } from '../project/project.types.js';
import type { RunView } from '../runs/run.types.js';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import type { LinkBase } from './content.js';
import type { LegacyEmail } from './legacy-email.js';
import { createNotificationsRepository } from './notifications.repository.js';
import { createNotificationsService, type NotificationsService } from './notifications-service.js';
import { Notifier, type NotifierOptions } from './notifier.js';
import { createSecretBox } from './secret-box.js';

export interface NotificationsSetup {
  db: SystemDatabase;
  tables: UiTables;
  /** ui.secret_key: channel secrets are sealed under a key derived from it. */
  secretKey: string;
  link: LinkBase;
  scheduleGraceSeconds: number | null;
  legacyEmail: LegacyEmail | null;
  project: () => Promise<Project | null>;
  environment: (project: Project | null) => Promise<string | null>;
  failureCause?: (run: RunView) => Promise<string | null>;
  recordsMoved?: (run: RunView) => Promise<number | null>;
  now?: () => Date;
  /** Timings and limits of the notifier (tests shorten them). */
  notifier?: Partial<
    Pick<
      NotifierOptions,
      | 'pollMs'
      | 'leaseMs'
      | 'retryBaseMs'
      | 'maxAttempts'
      | 'maxEventAgeMs'
      | 'sendTimeoutMs'
      | 'concurrency'
      | 'onError'
    >
  >;
}

/** The admin service and a notifier (not started) on one repository. */
export function createNotifications(setup: NotificationsSetup): {
  service: NotificationsService;
  notifier: Notifier;
} {
  const now = setup.now ?? (() => new Date());
  const repo = createNotificationsRepository(setup.tables, now);
  const service = createNotificationsService({
    repo,
    box: createSecretBox(setup.secretKey),
    link: setup.link,
    now,
    ...(setup.notifier?.sendTimeoutMs !== undefined ? { sendTimeoutMs: setup.notifier.sendTimeoutMs } : {}),
  });
  const notifier = new Notifier({
    db: setup.db,
    repo,
    service,
    project: setup.project,
    environment: setup.environment,
    link: setup.link,
    scheduleGraceSeconds: setup.scheduleGraceSeconds,
    legacyEmail: setup.legacyEmail,
    now,
    ...(setup.failureCause ? { failureCause: setup.failureCause } : {}),
    ...(setup.recordsMoved ? { recordsMoved: setup.recordsMoved } : {}),
    ...setup.notifier,
  });
  return { service, notifier };
}
