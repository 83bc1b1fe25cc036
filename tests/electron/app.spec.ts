// The desktop app end to end, through Playwright's Electron driver: window, app:// protocol,
// preload bridge, MessagePort to core in its utility process, persistence across a restart.
// Runs wherever an Electron binary exists; elsewhere (ELECTRON_SKIP_BINARY_DOWNLOAD, offline
// installs, these CI machines) it is skipped with a message saying so.
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ElectronMissingError, locateElectron, type ElectronInfo } from '../../build/scripts/ensure-native.mjs';
import { createStory, waitSaved } from '../support/app';
import { stageElectronApp, type StagedApp } from './stageApp';

const SKIP_MESSAGE = 'skipped: no Electron binary (ELECTRON_SKIP_BINARY_DOWNLOAD or offline install)';
function findElectron(root: string): (ElectronInfo & { executable: string }) | null {
  try {
    return locateElectron(root);
  } catch (error) {
    if (error instanceof ElectronMissingError) return null;
    throw error;
  }
}

test('desktop app: secure window, story survives a restart', async () => {
  // The repository root: where playwright.config.ts lives.
  const root = path.dirname(test.info().config.configFile ?? path.join(process.cwd(), 'playwright.config.ts'));
  const found = findElectron(root);
  if (!found) {
    console.log(SKIP_MESSAGE);
    test.skip(true, SKIP_MESSAGE);
    return;
  }
  // The first run may compile better-sqlite3 for Electron (a minute or two).
  test.setTimeout(600_000);
  let staged: StagedApp | undefined;
  const profileDir = mkdtempSync(path.join(tmpdir(), 'rr-electron-profile-'));
  let app: ElectronApplication | undefined;
  try {
    staged = await stageElectronApp(root, found);
    const stagedDir = staged.dir;
    // Chromium refuses to start as root with its sandbox (containers, CI).
    const rootOnly = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    const launch = () =>
      electron.launch({ executablePath: found.executable, args: [...rootOnly, stagedDir, '--profile', profileDir], timeout: 60_000 });

    app = await launch();
    let page: Page = await app.firstWindow();
    await expect(page.getByTestId('story-list')).toBeVisible({ timeout: 30_000 });

    // The security surface as the page sees it.
    expect(await page.evaluate(() => location.protocol)).toBe('app:');
    expect(await page.evaluate(() => Object.keys((window as unknown as { ruangShell: object }).ruangShell).sort())).toEqual(['platform', 'requestCorePort']);
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');
    const csp = await page.evaluate(() => fetch(location.href).then((response) => response.headers.get('content-security-policy')));
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'))).toBe(profileDir);

    const storyId = await createStory(page);
    const headline = 'Kemenperin Dorong Konsorsium Mobil Pedesaan';
    await page.getByTestId('field-headline').fill(headline);
    await waitSaved(page);
    await app.close();
    app = undefined;

    // Core wrote it to SQLite in the profile: a new app instance shows it.
    app = await launch();
    page = await app.firstWindow();
    await expect(page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`)).toContainText(headline, { timeout: 30_000 });
  } finally {
    await app?.close();
    staged?.remove();
    rmSync(profileDir, { recursive: true, force: true });
  }
});
