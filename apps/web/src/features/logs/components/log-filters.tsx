import {
  describeFilter,
  isFiltered,
  LEVEL_OPTIONS,
  type LogFilter,
  NO_FILTER,
  SOURCE_OPTIONS,
  STDIO_OPTIONS,
} from '../model/log-filter';

export interface LogFiltersProps {
  filter: LogFilter;
  onChange: (filter: LogFilter) => void;
}

/** Level, source and stream checkboxes, folded away; none ticked in a group keeps all of it. */
export function LogFilters({ filter, onChange }: LogFiltersProps) {
  const active = isFiltered(filter);
  return (
    <details className="log-filters">
      <summary>
        Filter lines{active ? <span className="log-filters-active">: {describeFilter(filter)}</span> : null}
      </summary>
      <div className="log-filters-body">
        <Group
          legend="Level"
          options={LEVEL_OPTIONS}
          values={filter.levels}
          onChange={(levels) => onChange({ ...filter, levels })}
        />
        <Group
          legend="Source"
          options={SOURCE_OPTIONS}
          values={filter.sources}
          onChange={(sources) => onChange({ ...filter, sources })}
        />
        <Group
          legend="Stream"
          hint="Meltano 4 logs do not record it"
          options={STDIO_OPTIONS}
          values={filter.stdios}
          onChange={(stdios) => onChange({ ...filter, stdios })}
        />
        <button type="button" onClick={() => onChange(NO_FILTER)} disabled={!active}>
          Show all lines
        </button>
      </div>
    </details>
  );
}

function Group(props: {
  legend: string;
  hint?: string;
  options: readonly (readonly [string, string])[];
  values: string[];
  onChange: (values: string[]) => void;
}) {
  return (
    <fieldset className="log-filter-group">
      <legend>{props.legend}</legend>
      {props.options.map(([value, label]) => (
        <label key={value}>
          <input
            type="checkbox"
            checked={props.values.includes(value)}
            onChange={(event) =>
              props.onChange(
                event.target.checked ? [...props.values, value] : props.values.filter((v) => v !== value),
              )
            }
          />
          {label}
        </label>
      ))}
      {props.hint ? <span className="muted log-filter-hint">{props.hint}</span> : null}
    </fieldset>
  );
}
