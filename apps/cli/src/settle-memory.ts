/**
 * One full garbage collection once start-up's own work is done, as V8 makes when told memory is
 * low: what start-up allocated and dropped (the project read and validated, route schemas compiled,
 * the first reads) is freed and the heap's empty pages go back to the system, so a server that
 * then sits idle does not keep them resident until V8 next collects on its own (~7 MiB of RSS).
 * Through an in-process inspector session (HeapProfiler.collectGarbage), the documented way to ask
 * for it without exposing `gc` to the whole program; nothing listens on a port. Where Node was
 * built without the inspector it does nothing.
 */
export async function settleMemory(): Promise<void> {
  try {
    const { Session } = await import('node:inspector');
    const session = new Session();
    session.connect();
    try {
      await new Promise<void>((resolve) => session.post('HeapProfiler.collectGarbage', () => resolve()));
    } finally {
      session.disconnect();
    }
  } catch {
    // No inspector in this build of Node: the heap settles on V8's own schedule.
  }
}
