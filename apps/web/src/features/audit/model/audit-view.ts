import type { AuditEntry } from '../../../lib/api-types';

export const OUTCOME_LABELS: Record<AuditEntry['outcome'], string> = {
  ok: 'Done',
  refused: 'Refused',
  failed: 'Failed',
};

/** The shared badge colours: done as a success, refused as a warning, failed as a failure. */
export const OUTCOME_BADGES: Record<AuditEntry['outcome'], string> = {
  ok: 'badge badge-success',
  refused: 'badge badge-warn',
  failed: 'badge badge-bad',
};

/** `{type: extractors, name: tap-x}` → `extractors / tap-x`; nothing named: an em dash. */
export function targetLabel(target: AuditEntry['target']): string {
  const values = Object.values(target);
  return values.length === 0 ? '—' : values.join(' / ');
}

/** The details worth a glance (run options, the setting and its store…), as `key: value` pairs. */
export function detailsLabel(details: AuditEntry['details']): string {
  return Object.entries(details)
    .filter(([key, value]) => key !== 'body_fields' && !isEmptyObject(value))
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

const isEmptyObject = (value: unknown) =>
  value !== null && typeof value === 'object' && Object.keys(value).length === 0;
