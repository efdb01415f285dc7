import { useId } from 'react';
import { toInput, toIso } from '../../../lib/datetime-input';
import { useTimeZone } from '../../../lib/time-zone';
import type { AuditFilters } from '../api/get-audit';

/** Who, what, which pipeline and when; the actions seen so far are offered as suggestions. */
export function AuditFiltersBar({
  filters,
  update,
  actions,
}: {
  filters: AuditFilters;
  update: (change: Partial<AuditFilters>) => void;
  actions: readonly string[];
}) {
  const id = useId();
  const zone = useTimeZone();
  const suffix = zone === 'utc' ? ' (UTC)' : '';
  return (
    <fieldset className="filters">
      <legend className="sr-only">Filter the audit log</legend>
      <label htmlFor={`${id}-actor`}>
        Actor
        <input
          id={`${id}-actor`}
          type="search"
          defaultValue={filters.actor}
          placeholder="user, token:name, anonymous"
          onChange={(e) => update({ actor: e.target.value.trim() })}
        />
      </label>
      <label htmlFor={`${id}-action`}>
        Action
        <input
          id={`${id}-action`}
          type="search"
          list={`${id}-actions`}
          defaultValue={filters.action}
          placeholder="POST /api/v1/schedules*"
          onChange={(e) => update({ action: e.target.value.trim() })}
        />
        <datalist id={`${id}-actions`}>
          {actions.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <label htmlFor={`${id}-pipeline`}>
        Pipeline
        <input
          id={`${id}-pipeline`}
          type="search"
          defaultValue={filters.pipeline}
          placeholder="any"
          onChange={(e) => update({ pipeline: e.target.value.trim() })}
        />
      </label>
      <label htmlFor={`${id}-since`}>
        From{suffix}
        <input
          id={`${id}-since`}
          type="datetime-local"
          value={toInput(filters.since, zone)}
          onChange={(e) => update({ since: toIso(e.target.value, zone) })}
        />
      </label>
      <label htmlFor={`${id}-until`}>
        Until{suffix}
        <input
          id={`${id}-until`}
          type="datetime-local"
          value={toInput(filters.until, zone)}
          onChange={(e) => update({ until: toIso(e.target.value, zone) })}
        />
      </label>
    </fieldset>
  );
}
