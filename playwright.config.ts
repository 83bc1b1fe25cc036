import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/support/chromium';

/**
 * Cross-process tests. Chromium comes from Debian (/usr/bin/chromium) because Playwright's
 * own browser download is not reachable here; CHROMIUM_PATH overrides it.
 * `npm run test:e2e` builds first, so these run against the production build.
 */
export default defineConfig({
  testDir: 'tests',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 2,
  reporter: process.env.CI ? [['list']] : [['list']],
  projects: [
    {
      name: 'web',
      testMatch: /e2e\/.*\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
        trace: 'retain-on-failure',
      },
    },
    { name: 'electron', testMatch: /electron\/.*\.spec\.ts$/ },
  ],
});
