import { useId } from 'react';
import { RelativeTime } from '../../../components/relative-time';
import { useIntervalPreview } from '../api/get-interval-preview';
import {
  CRON_EXAMPLES,
  INTERVAL_PRESETS,
  type IntervalPreset,
  LATER_PRESETS,
  utcTime,
} from '../model/interval-presets';
import { describedBy, FieldError } from './field-error';
import { useDebounced } from './use-debounced';

function PresetButtons({
  label,
  presets,
  value,
  onPick,
}: {
  label: string;
  presets: readonly IntervalPreset[];
  value: string;
  onPick: (value: string) => void;
}) {
  return (
    <fieldset className="preset-row">
      <legend className="muted">{label}</legend>
      {presets.map((p) => (
        <button
          key={p.value}
          type="button"
          className="chip"
          aria-pressed={value.trim() === p.value}
          title={p.hint}
          onClick={() => onPick(p.value)}
        >
          {p.label}
        </button>
      ))}
    </fieldset>
  );
}

const localTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });

/** What the server makes of the interval: its meaning, or why it is not valid, and the next five runs. */
function IntervalPreviewPanel({ interval }: { interval: string }) {
  const settled = useDebounced(interval.trim(), 300);
  const preview = useIntervalPreview(settled);
  if (settled === '') return null;
  if (preview.isError) {
    return <p className="inline-error">The preview is not available: {preview.error.message}</p>;
  }
  const data = preview.data;
  if (!data) return <p className="muted">Checking…</p>;
  const stale = data.interval !== interval.trim();
  if (!data.valid) {
    return (
      <p className="field-error" aria-busy={stale}>
        {data.error ?? data.description}
      </p>
    );
  }
  return (
    <div aria-busy={stale} className={stale ? 'cron-preview stale' : 'cron-preview'}>
      <p>
        <strong>{data.description}</strong>
        {data.cron && data.cron !== data.interval ? (
          <span className="muted">
            {' '}
            — cron <code>{data.cron}</code>
          </span>
        ) : null}
      </p>
      {data.next_runs.length === 0 ? (
        <p className="muted">
          Not on a timer: it runs only when started (from here, <code>meltano schedule run</code> or an
          orchestrator).
        </p>
      ) : (
        <>
          <p className="muted">Next {data.next_runs.length} runs, for an orchestrator that follows it:</p>
          <ol className="next-runs">
            {data.next_runs.map((iso) => (
              <li key={iso}>
                <time dateTime={iso}>{utcTime(iso)}</time>{' '}
                <span className="muted">
                  ({localTime(iso)} your time, <RelativeTime iso={iso} />)
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

/**
 * The interval of a schedule: one field that takes Meltano's named intervals or a 5-field cron (UTC),
 * buttons for the common ones, and the server's reading of it with the next five run times.
 */
export function CronEditor({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <fieldset className="cron-editor">
      <legend>Interval</legend>
      <PresetButtons label="Common" presets={INTERVAL_PRESETS} value={value} onPick={onChange} />
      <PresetButtons label="Cron examples" presets={CRON_EXAMPLES} value={value} onPick={onChange} />
      <details className="more-presets">
        <summary>Other named intervals (newer Meltano versions)</summary>
        <PresetButtons label="Meltano 3+" presets={LATER_PRESETS} value={value} onPick={onChange} />
      </details>
      <label htmlFor={`${id}-input`}>
        Interval or cron expression
        <input
          id={`${id}-input`}
          className="mono"
          value={value}
          spellCheck={false}
          autoComplete="off"
          maxLength={200}
          placeholder="@daily or */15 * * * *"
          onChange={(e) => onChange(e.target.value)}
          {...describedBy(errorId, error)}
        />
      </label>
      <FieldError id={errorId} message={error} />
      <p className="muted hint">
        Cron has five fields, in UTC: minute, hour, day of month, month, day of week (e.g.{' '}
        <code>30 2 * * 1-5</code> is 02:30 on weekdays).
      </p>
      <div aria-live="polite">
        <IntervalPreviewPanel interval={value} />
      </div>
    </fieldset>
  );
}
