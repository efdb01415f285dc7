import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  outputDir: './artifacts/test-results',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  // One more try for a test that failed: each spec starts real servers, Chromium and often nginx or
  // PostgreSQL clusters on a 2-core machine, and a test can lose a race with the machine itself. A
  // test that passes only on its retry is reported as "flaky" in the list, so it stays visible; one
  // that fails twice fails the run.
  retries: 1,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
  },
});
