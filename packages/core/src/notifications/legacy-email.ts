import type { SystemDatabase } from '../db/system-database.js';
import type { Project } from '../project/project.types.js';
import type { ResolvedSetting, UiSettingName } from '../settings/ui-settings.js';
import type { ChannelConfig } from './channel-config.js';
import { recipients as parseRecipients } from './channel-config.js';
import { createSubscriptionsRepository } from './subscriptions.repository.js';

/**
 * The old Meltano UI's `ui.notification` (reference §6.3) as an implicit email channel and rule:
 * the mail.* settings are the SMTP server, and the recipients are `ui.notification_recipients` plus,
 * on a system DB still holding Meltano 2's `subscriptions` table (Meltano 3 dropped it), the
 * addresses subscribed to the schedule ("Notify me" in the old UI's log view).
 *
 * Which runs, exactly as the old UI: those the UI started, i.e. with `runs.trigger = 'ui'` (the UI
 * launches with MELTANO_JOB_TRIGGER=ui; the CLI, cron and Airflow write `cli`), of a state ID that a
 * schedule records (the old UI only ran schedules), that ended (success, failure, or presumed dead)
 * while this notifier was running: the old UI mailed from the thread that waited for the run, so a
 * run that ended while no UI was up was never mailed either. Runs started by anything else are left
 * to explicit rules.
 */
export interface LegacyEmail {
  transport: Extract<ChannelConfig, { kind: 'email' }>;
  /** From ui.notification_recipients. */
  recipients: string[];
}

export const LEGACY_RULE_KEY = 'legacy-email';
export const LEGACY_EVENTS = ['succeeded', 'failed', 'stale'] as const;

/** Null while ui.notification is off. Throws InvalidInputError on unusable recipients (at boot). */
export function legacyEmailConfig(settings: Record<UiSettingName, ResolvedSetting>): LegacyEmail | null {
  if (settings['ui.notification'].value !== true) return null;
  const text = (name: UiSettingName) => {
    const value = settings[name].value;
    return typeof value === 'string' && value !== '' ? value : null;
  };
  const list = text('ui.notification_recipients');
  return {
    transport: {
      kind: 'email',
      config: {
        host: text('mail.server') ?? 'localhost',
        port: Number(settings['mail.port'].value ?? 1025),
        secure: false,
        // Flask-Mail's MAIL_USE_TLS is STARTTLS on the plain port.
        starttls: settings['mail.use_tls'].value === true,
        username: text('mail.username'),
        password: text('mail.password'),
        from: text('mail.default_sender') ?? '"Meltano" <bot@meltano.com>',
        to: [],
      },
    },
    recipients: list === null ? [] : parseRecipients(list),
  };
}

/**
 * The subscriptions per schedule name: Meltano 2's table where the system DB still has it (Meltano 3
 * dropped it), and those made through the old UI's API here (`ui_subscriptions`).
 */
export async function readSubscriptions(db: SystemDatabase): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  let rows: { recipient: string; source_id: string | null; event_type: string; source_type: string | null }[];
  try {
    rows = await createSubscriptionsRepository(db).list();
  } catch {
    // No SQLite file yet, or the database is down: nobody to add this time.
    return found;
  }
  for (const row of rows) {
    if (row.source_id === null || row.event_type !== 'pipeline_manual_run' || row.source_type !== 'pipeline')
      continue;
    found.set(row.source_id, [...(found.get(row.source_id) ?? []), row.recipient]);
  }
  return found;
}

/**
 * The old UI's subjects: "Your <label> data is ready!" / "Your <label> extraction has failed!", the
 * label being the extractor's (ELT schedules); a job schedule has no one extractor, so its name.
 */
export function legacySubject(project: Project | null, scheduleName: string, ok: boolean): string {
  const schedule = project?.schedules.find((s) => s.name === scheduleName);
  const extractor =
    schedule?.kind === 'elt'
      ? project?.plugins.find((p) => p.name === schedule.extractor && p.type === 'extractors')
      : undefined;
  const label = extractor ? (extractor.label ?? extractor.name) : scheduleName;
  return ok ? `Your ${label} data is ready!` : `Your ${label} extraction has failed!`;
}
