import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';
import { installProbes } from './inPage';


/** Debian's Chromium with the flags of tests/support/chromium.ts (Playwright's own download is unavailable). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
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
