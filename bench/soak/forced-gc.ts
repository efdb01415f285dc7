// Memory the server keeps, not where V8's heap happens to be in its grow-and-collect cycle: a full
// garbage collection through the inspector (opened by SIGUSR1), then RSS and the JS heap in use.
import fs from 'node:fs';
import { WebSocket } from 'undici';
import type { UiProcess } from './ui-process.js';

export interface Retained {
  rssMiB: number;
  /** RSS split as the kernel counts it: anonymous memory (heaps, malloc) and mapped files. */
  anonMiB: number;
  fileMiB: number;
  heapUsedMiB: number;
  /** V8's heap as reserved from the OS; RSS minus this is native memory (malloc, code, stacks). */
  heapTotalMiB: number;
}

export function describe(r: Retained): string {
  return (
    `RSS ${r.rssMiB.toFixed(1)} MiB (anon ${r.anonMiB.toFixed(1)}, file ${r.fileMiB.toFixed(1)}), ` +
    `JS heap ${r.heapUsedMiB.toFixed(1)} used / ${r.heapTotalMiB.toFixed(1)} MiB`
  );
}

function statusKiB(pid: number, field: string): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
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
  const pending = new Map<
    number,
    { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  ws.addEventListener('message', (e) => {
    const msg = JSON.parse(String(e.data)) as { id?: number; result?: Record<string, unknown> };
    if (msg.id !== undefined) pending.get(msg.id)?.resolve(msg.result ?? {});
  });
  // A server that died must fail the soak, not hang it.
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(new Error('the server inspector closed'));
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(
        () => reject(new Error(`the server inspector did not answer ${method}`)),
        30_000,
      );
      const done = () => {
        clearTimeout(timer);
        pending.delete(id);
      };
      pending.set(id, {
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    /** Collects garbage (V8's low-memory notification: full, returning free pages), then measures. */
    async retained(): Promise<Retained> {
      await call('HeapProfiler.collectGarbage');
      await new Promise((r) => setTimeout(r, 500));
      const res = await call('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      });
      const usage = JSON.parse(String((res.result as { value?: string } | undefined)?.value ?? '{}')) as {
        heapUsed?: number;
        heapTotal?: number;
      };
      return {
        rssMiB: ui.rssMiB(),
        anonMiB: statusKiB(ui.pid, 'RssAnon') / 1024,
        fileMiB: statusKiB(ui.pid, 'RssFile') / 1024,
        heapUsedMiB: (usage.heapUsed ?? Number.NaN) / MiB,
        heapTotalMiB: (usage.heapTotal ?? Number.NaN) / MiB,
      };
    },
    close: () => ws.close(),
  };
}
