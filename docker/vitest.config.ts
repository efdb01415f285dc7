import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The settings-coverage test reads core's settings from its source (no core build needed).
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/debian-packages.setup.ts'],
    testTimeout: 30_000,
  },
});
