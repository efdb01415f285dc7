import { type FileHandle, open } from 'node:fs/promises';
import { vi } from 'vitest';

/** Counts the bytes read through any FileHandle while `run` executes (`file` is any readable file). */
export async function countBytesRead<T>(
  file: string,
  run: () => Promise<T>,
): Promise<{ result: T; bytesRead: number }> {
  const probe = await open(file, 'r');
  const proto = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  const spy = vi.spyOn(proto, 'read');
  try {
    const result = await run();
    let bytesRead = 0;
    for (const call of spy.mock.results)
      bytesRead += (await (call.value as ReturnType<FileHandle['read']>)).bytesRead;
    return { result, bytesRead };
  } finally {
    spy.mockRestore();
  }
}
