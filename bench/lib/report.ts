// One line per figure, the same shape in every bench, so `pnpm bench` can gather them into one table:
//   FIGURE <name> | <value> <unit> | <baseline name> <baseline value> <unit> | <ratio>× | target <text>
// The ratio is value / baseline for "higher is better" figures and baseline / value otherwise, so a
// ratio ≥ 1 always means "as good as the baseline or better". Targets are printed, never asserted.

export interface Figure {
  /** What was measured, e.g. "GET /api/v1/health throughput (50 connections)". */
  name: string;
  value: number;
  unit: string;
  /** Whether a larger value is better (throughput) or worse (latency, memory). */
  better: 'higher' | 'lower';
  /** The same quantity measured in the same run on the baseline (a bare Fastify server, `tail`, `grep`). */
  baseline?: { name: string; value: number };
  /** The target from the issue, as text (e.g. "≥ 0.9× bare Fastify", "< 50 ms"). */
  target?: string;
}

const format = (n: number) =>
  Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(3)).toString();

/** The ratio that reads "≥ 1 is at least as good as the baseline", or null without a baseline. */
export function ratioOf(f: Figure): number | null {
  if (!f.baseline || f.baseline.value === 0 || f.value === 0) return null;
  return f.better === 'higher' ? f.value / f.baseline.value : f.baseline.value / f.value;
}

export function figureLine(f: Figure): string {
  const ratio = ratioOf(f);
  return [
    `FIGURE ${f.name}`,
    `${format(f.value)} ${f.unit}`,
    f.baseline ? `${f.baseline.name} ${format(f.baseline.value)} ${f.unit}` : 'no baseline',
    ratio === null ? '-' : `${ratio.toFixed(2)}×`,
    f.target ? `target ${f.target}` : 'no target',
  ].join(' | ');
}

/** Prints the figure's line on stdout (the suite reads lines that start with "FIGURE "). */
export function report(f: Figure): void {
  console.log(figureLine(f));
}
