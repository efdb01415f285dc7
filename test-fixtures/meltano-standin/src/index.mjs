export {
  dashedUuid,
  logLine,
  meltanoTimestamp,
  preciseNow,
  pythonJson,
  sanitizeStateId,
  uuid7Hex,
} from './encoding.mjs';
export { checkRunning, logFileFor, runPair } from './run-pipeline.mjs';
export { openSystemDb } from './system-db.mjs';

import { fileURLToPath } from 'node:url';
/** Path of the stand-in executable, for tests that point `meltano` at it. */
export const STANDIN_BIN = fileURLToPath(new URL('../bin/meltano.mjs', import.meta.url));
