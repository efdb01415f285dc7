// What every bench reads from its command line (the suite passes the same flags on).
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' } },
  strict: false,
});

/** `--quick` (or BENCH_QUICK=1): shorter runs and smaller data, for a first look; figures are rougher. */
export const QUICK = values.quick === true;

/** `full` normally, `quick` with --quick. */
export const pick = <T>(full: T, quick: T): T => (QUICK ? quick : full);
