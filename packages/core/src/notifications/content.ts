import type {
  NotificationContent,
  NotificationEvent,
  NotificationLateness,
  NotificationRun,
} from './notification.types.js';

/**
 * Links in messages point at the UI's pages, built from trusted settings only (ui.server_name and
 * ui.base_path; never a request's Host): a message is sent long after any request.
 */
export interface LinkBase {
  /** `https://meltano.example.com/base`, no trailing slash; null without ui.server_name. */
  origin: string | null;
}

/**
 * `ui.server_name` is a host name (`meltano.example.com`, maybe with a port) as Meltano documents it;
 * a value with a scheme is taken as written. Without a scheme, https when cookies are Secure (the UI
 * is served over TLS), else http.
 */
export function linkBase(opts: { serverName: string | null; basePath: string; secure: boolean }): LinkBase {
  const name = opts.serverName?.trim() ?? '';
  if (name === '') return { origin: null };
  const withScheme = /^https?:\/\//i.test(name) ? name : `${opts.secure ? 'https' : 'http'}://${name}`;
  return { origin: `${withScheme.replace(/\/+$/, '')}${opts.basePath}` };
}

const TITLES: Record<NotificationEvent | 'test', string> = {
  failed: 'failed',
  stale: 'is presumed dead (no heartbeat)',
  succeeded: 'succeeded',
  recovered: 'recovered: it succeeded after failing',
  late: 'is late',
  test: 'test notification',
};

export function runContent(input: {
  event: Exclude<NotificationEvent, 'late'>;
  deliveryKey: string;
  pipeline: string;
  run: NotificationRun;
  occurredAt: string;
  link: LinkBase;
}): NotificationContent {
  const { run } = input;
  const title = `Pipeline ${input.pipeline} ${TITLES[input.event]}`;
  const url = input.link.origin === null ? null : `${input.link.origin}/runs/${run.id}`;
  const lines = [
    title,
    `Run ${run.id}${run.run_id ? ` (${run.run_id})` : ''}, state ID ${run.state_id}: ${run.status}`,
    `Started ${run.started_at ?? 'unknown'}${run.ended_at ? `, ended ${run.ended_at}` : ''}${
      run.duration_seconds === null ? '' : `, took ${formatDuration(run.duration_seconds)}`
    }`,
    `Records moved: ${run.records_moved === null ? 'unknown' : run.records_moved.toLocaleString('en-US')}`,
    ...(run.trigger ? [`Trigger: ${run.trigger}`] : []),
    ...(run.failure_cause ? [`Cause: ${run.failure_cause}`] : []),
    ...(url ? [url] : []),
  ];
  return {
    event: input.event,
    delivery_key: input.deliveryKey,
    pipeline: input.pipeline,
    run,
    lateness: null,
    url,
    occurred_at: input.occurredAt,
    title,
    text: lines.join('\n'),
  };
}

export function lateContent(input: {
  deliveryKey: string;
  lateness: NotificationLateness;
  occurredAt: string;
  link: LinkBase;
}): NotificationContent {
  const { lateness } = input;
  const title = `Pipeline ${lateness.schedule} ${TITLES.late}`;
  const url =
    input.link.origin === null
      ? null
      : `${input.link.origin}/schedules/${encodeURIComponent(lateness.schedule)}`;
  const missed = `${lateness.missed}${lateness.missed_capped ? '+' : ''}`;
  const lines = [
    title,
    `No run started for its expected start at ${lateness.expected_at}; ${missed} expected start${
      lateness.missed === 1 ? '' : 's'
    } missed so far`,
    ...(url ? [url] : []),
  ];
  return {
    event: 'late',
    delivery_key: input.deliveryKey,
    pipeline: lateness.schedule,
    run: null,
    lateness,
    url,
    occurred_at: input.occurredAt,
    title,
    text: lines.join('\n'),
  };
}

export function testContent(input: { deliveryKey: string; channelName: string; at: string; link: LinkBase }) {
  const title = `Meltano UI: test notification for channel ${input.channelName}`;
  const content: NotificationContent = {
    event: 'test',
    delivery_key: input.deliveryKey,
    pipeline: null,
    run: null,
    lateness: null,
    url: input.link.origin,
    occurred_at: input.at,
    title,
    text: [
      title,
      'If you can read this, the channel works.',
      ...(input.link.origin ? [input.link.origin] : []),
    ].join('\n'),
  };
  return content;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h} h ${m} min` : `${m} min ${rest} s`;
}

/** The generic webhook's JSON body: the content as stored, plus `text` for chat tools that show it. */
export function webhookBody(content: NotificationContent): string {
  return JSON.stringify(content);
}

/** Slack's incoming-webhook shape (`text` is the fallback where blocks are not shown). */
export function slackBody(content: NotificationContent): string {
  const fields: string[] = [];
  if (content.run) {
    const run = content.run;
    fields.push(`*Run:* ${run.id}`, `*Status:* ${run.status}`);
    if (run.duration_seconds !== null) fields.push(`*Duration:* ${formatDuration(run.duration_seconds)}`);
    fields.push(`*Records moved:* ${run.records_moved === null ? 'unknown' : run.records_moved}`);
  }
  if (content.lateness) {
    fields.push(`*Expected at:* ${content.lateness.expected_at}`, `*Missed:* ${content.lateness.missed}`);
  }
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(content.title)}*` } },
  ];
  if (fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: fields.map((text) => ({ type: 'mrkdwn', text: escapeSlack(text) })),
    });
  }
  if (content.run?.failure_cause) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `\`\`\`${escapeSlack(content.run.failure_cause.slice(0, 2800))}\`\`\`` },
    });
  }
  if (content.url) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<${content.url}|Open in Meltano UI>` }],
    });
  }
  return JSON.stringify({ text: content.text, blocks });
}

/** Slack's three control characters; everything else is shown as written. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function emailMessage(content: NotificationContent): { subject: string; text: string; html: string } {
  const paragraphs = content.text
    .split('\n')
    .map((line) =>
      content.url && line === content.url
        ? `<p><a href="${escapeHtml(content.url)}">Open in Meltano UI</a></p>`
        : `<p>${escapeHtml(line)}</p>`,
    )
    .join('\n');
  return {
    subject: content.title,
    text: content.text,
    html: `<!doctype html>\n<html><body>\n${paragraphs}\n</body></html>`,
  };
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
