import { describe, expect, it } from 'vitest';
import { settleMemory } from '../src/settle-memory.js';

describe('settling memory once start-up is done', () => {
  it('runs a full garbage collection: an object only a WeakRef holds is gone after it', async () => {
    let dropped: object | null = { payload: new Array(100_000).fill('start-up garbage') };
    const ref = new WeakRef(dropped);
    dropped = null;
    // A WeakRef keeps its target alive until the job that made it ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await settleMemory();
    expect(ref.deref()).toBeUndefined();
  });
});
