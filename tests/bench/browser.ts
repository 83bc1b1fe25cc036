import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { installProbes } from './inPage';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Debian's Chromium with the flags of STACK-NOTES (Playwright's own download is unavailable). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh context per measured run (no state carried between runs), probes installed. */
export async function freshPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(installProbes);
  const page = await context.newPage();
  page.on('pageerror', (error) => process.stderr.write(`[bench] page error: ${error.message}\n`));
  return { context, page };
}
