import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultWebRoot } from '../src/server.js';

describe('where the built web app is served from', () => {
  const saved = process.env.MELTANO_UI_WEB_ROOT;
  afterEach(() => {
    if (saved === undefined) delete process.env.MELTANO_UI_WEB_ROOT;
    else process.env.MELTANO_UI_WEB_ROOT = saved;
  });

  it('is apps/web/dist of this workspace by default', () => {
    delete process.env.MELTANO_UI_WEB_ROOT;
    expect(defaultWebRoot()).toBe(path.resolve(import.meta.dirname, '../../web/dist'));
  });

  it('is MELTANO_UI_WEB_ROOT when set (a pnpm deploy folder, as in the container image)', () => {
    process.env.MELTANO_UI_WEB_ROOT = 'relative/web-dist';
    expect(defaultWebRoot()).toBe(path.resolve('relative/web-dist'));
  });
});
