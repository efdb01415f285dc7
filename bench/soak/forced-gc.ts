// Memory the server keeps, not where V8's heap happens to be in its grow-and-collect cycle: a full
// garbage collection through the inspector (opened by SIGUSR1), then RSS and the JS heap in use.
import { WebSocket } from 'undici';
import type { UiProcess } from './ui-process.js';

export interface Retained {
  rssMiB: number;
  heapUsedMiB: number;
}

const MiB = 1024 * 1024;

export async function connectInspector(ui: UiProcess) {
  const ws = new WebSocket(await ui.inspector());
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', () => reject(new Error('could not reach the server inspector')), {
      once: true,
    });
  });
  let nextId = 0;
  const pending = new Map<number, (result: Record<string, unknown>) => void>();
  ws.addEventListener('message', (e) => {
    const msg = JSON.parse(String(e.data)) as { id?: number; result?: Record<string, unknown> };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result ?? {});
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    /** Collects garbage (V8's low-memory notification: full, returning free pages), then measures. */
    async retained(): Promise<Retained> {
      await call('HeapProfiler.collectGarbage');
      await new Promise((r) => setTimeout(r, 500));
      const res = await call('Runtime.evaluate', {
        expression: 'process.memoryUsage().heapUsed',
        returnByValue: true,
      });
      const heapUsed = Number((res.result as { value?: number } | undefined)?.value ?? Number.NaN);
      return { rssMiB: ui.rssMiB(), heapUsedMiB: heapUsed / MiB };
    },
    close: () => ws.close(),
  };
}
