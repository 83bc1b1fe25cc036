import { defineConfig } from '@playwright/test';

/**
 * Cross-process tests. Chromium comes from Debian (/usr/bin/chromium) because Playwright's
 * own browser download is not reachable here; CHROMIUM_PATH overrides it.
 * `npm run test:e2e` builds first, so these run against the production build.
 */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs },
        trace: 'retain-on-failure',
      },
    },
    { name: 'electron', testMatch: /electron\/.*\.spec\.ts$/ },
  ],
});
