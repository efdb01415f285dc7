import { useId } from 'react';
import { toInput, toIso } from '../../lib/datetime-input';
import { useTimeZone } from '../../lib/time-zone';
import type { RunFilters } from './get-runs';

export function RunFiltersBar({
  filters,
  update,
  showStateId,
}: {
  filters: RunFilters;
  update: (change: Partial<Record<'status' | 'trigger' | 'since' | 'until' | 'state_id', string>>) => void;
  showStateId: boolean;
}) {
  const id = useId();
  const zone = useTimeZone();
  const suffix = zone === 'utc' ? ' (UTC)' : '';
  return (
    <fieldset className="filters">
      <legend className="sr-only">Filter runs</legend>
      {showStateId ? (
        <label htmlFor={`${id}-state`}>
          State ID
          <input
            id={`${id}-state`}
            type="search"
            defaultValue={filters.state_id[0] ?? ''}
            placeholder="any"
            onChange={(e) => update({ state_id: e.target.value.trim() })}
          />
        </label>
      ) : null}
      <label htmlFor={`${id}-status`}>
        Status
        <select
          id={`${id}-status`}
          value={filters.status[0] ?? ''}
          onChange={(e) => update({ status: e.target.value })}
        >
          <option value="">any</option>
          <option value="running">Running</option>
          <option value="success">Success</option>
          <option value="failed">Failed</option>
          <option value="stale">Presumed dead</option>
        </select>
      </label>
      <label htmlFor={`${id}-trigger`}>
        Trigger
        <input
          id={`${id}-trigger`}
          type="search"
          defaultValue={filters.trigger}
          placeholder="cli, ui, scheduler…"
          onChange={(e) => update({ trigger: e.target.value.trim() })}
        />
      </label>
      <label htmlFor={`${id}-since`}>
        Started after{suffix}
        <input
          id={`${id}-since`}
          type="datetime-local"
          value={toInput(filters.since, zone)}
          onChange={(e) => update({ since: toIso(e.target.value, zone) })}
        />
      </label>
      <label htmlFor={`${id}-until`}>
        Started before{suffix}
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
