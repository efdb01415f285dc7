// Scales for the hand-drawn SVG charts: "nice" ticks for durations.

/** The smallest 1, 2 or 5 × 10^n at or above `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  // A tolerance: 0.30000000000000004 / 0.1 must read as 3, not a bit over.
  const step = m <= 1 + 1e-9 ? 1 : m <= 2 + 1e-9 ? 2 : m <= 5 + 1e-9 ? 5 : 10;
  return step * power;
}

export interface DurationScale {
  /** The top of the axis, in seconds (a multiple of the step, at or above the longest run). */
  max: number;
  /** Tick values in seconds, 0 first. */
  ticks: number[];
  unit: 's' | 'min' | 'h';
  /** A tick's label in `unit`: "0", "2.5", "10". */
  label: (seconds: number) => string;
}

const UNIT_SECONDS = { s: 1, min: 60, h: 3600 } as const;

/**
 * A y-scale for durations: minutes in general, seconds under two minutes and hours past three, with
 * about `count` steps of 1, 2 or 5 × 10^n of that unit.
 */
export function durationScale(longest: number, count = 4): DurationScale {
  const unit = longest < 120 ? 's' : longest <= 3 * 3600 ? 'min' : 'h';
  const size = UNIT_SECONDS[unit];
  const inUnit = Math.max(longest / size, unit === 's' ? 1 : 0.1);
  const step = niceStep(inUnit / count);
  const top = Math.max(step, Math.ceil(inUnit / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v / step) * step * size);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return {
    max: top * size,
    ticks,
    unit,
    label: (seconds) => (seconds / size).toFixed(decimals),
  };
}

export interface CountScale {
  /** The top of the axis (a multiple of the step, at or above the largest value). */
  max: number;
  /** Tick values, 0 first. */
  ticks: number[];
  /** A tick's label: "0", "500", "1.5k", "2M". */
  label: (value: number) => string;
}

const COMPACT = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** A y-scale for counts (records) with about `count` steps of 1, 2 or 5 × 10^n. */
export function countScale(largest: number, count = 4): CountScale {
  const step = Math.max(1, niceStep(Math.max(largest, 1) / count));
  const top = Math.max(step, Math.ceil(largest / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  return { max: top, ticks, label: (value) => COMPACT.format(value) };
}
