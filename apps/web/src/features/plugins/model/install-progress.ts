import type { InstallOutput } from '../../../lib/api-types';

/** Where the next poll of an install's output starts. */
export function nextOffset(chunk: Pick<InstallOutput, 'offset' | 'length'>): number {
  return chunk.offset + chunk.length;
}

/**
 * Done once the install ended and the chunk reached the end of the output: the server reads the status
 * first, so an ended install's chunk holds everything it printed.
 */
export function isOutputComplete(chunk: Pick<InstallOutput, 'status' | 'eof'>): boolean {
  return chunk.status !== 'running' && chunk.eof;
}

/** Poll again at once while there is more to read; otherwise wait for the CLI to print. */
export function pollDelay(chunk: Pick<InstallOutput, 'eof'>, idleMs = 700): number {
  return chunk.eof ? idleMs : 0;
}
