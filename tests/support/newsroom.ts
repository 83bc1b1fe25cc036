import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, type Browser, type Page } from '@playwright/test';
import { openApp } from './app';
import { freePort } from './freePort';
import { startServerProcess, type ServerProcess } from './serverProcess';
import { startWebMode, tempProfile, type WebModeHost } from './webMode';

export { freePort };

/**
 * What the e2e specs with a real newsroom server share: the server and the profiles
 * (NewsroomFixture), logging in through the login screen, waiting until an exchange has
 * completed, and the directory a profile keeps.
 */

/** Logs in through the login screen and waits for the user menu. */
export async function logInThroughScreen(page: Page, login: { serverUrl: string; username: string; password: string }): Promise<void> {
  await expect(page.getByTestId('login-screen')).toBeVisible();
  await page.getByTestId('login-server-url').fill(login.serverUrl);
  await page.getByTestId('login-username').fill(login.username);
  await page.getByTestId('login-password').fill(login.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-screen')).toBeHidden({ timeout: 30_000 });
  await expect(page.getByTestId('user-menu')).toBeVisible();
}

/** Online with nothing left to send: an exchange with the server has completed. */
export async function expectSynced(page: Page, timeout: number): Promise<void> {
  const status = page.getByTestId('sync-status');
  await expect(status).toHaveAttribute('data-state', 'online', { timeout });
  await expect(status).toHaveAttribute('data-pending', '0', { timeout });
}

/**
 * One newsroom server process for a spec file (PGlite, demo accounts, a fresh data
 * directory: it costs seconds to initialise), on a fixed port so it can be stopped and
 * started again at one address, and the web-mode profiles the spec opens against it.
 */
export class NewsroomFixture {
  private readonly profiles: Array<ReturnType<typeof tempProfile>> = [];
  private readonly hosts: WebModeHost[] = [];
  private serverData: ReturnType<typeof tempProfile> | undefined;
  private server: ServerProcess | undefined;
  private port = 0;
  /** The server's address (the same across restarts). */
  url = '';

  async start(): Promise<void> {
    this.serverData = tempProfile('rr-server-');
    this.port = await freePort();
    await this.startServer();
  }

  async startServer(): Promise<void> {
    this.server = await startServerProcess({
      dataDir: this.serverData!.dir,
      port: this.port,
      demo: true,
      timeoutMs: 120_000,
      onStderr: (text) => process.stderr.write(`[server] ${text}`),
    });
    this.url = this.server.url;
  }

  /** Stops the server (SIGTERM); its exit code. */
  async stopServer(): Promise<number | null> {
    const code = await this.server!.stop('SIGTERM');
    this.server = undefined;
    return code;
  }

  /** A fresh web-mode profile pointed at the server, open in its own browser context. */
  async openProfile(browser: Browser): Promise<{ page: Page; profileDir: string; host: WebModeHost }> {
    const profile = tempProfile();
    this.profiles.push(profile);
    const host = await startWebMode(profile.dir, 0, 60_000, { server: this.url });
    this.hosts.push(host);
    const context = await browser.newContext();
    const page = await context.newPage();
    await openApp(page, host.url);
    return { page, profileDir: profile.dir, host };
  }

  /** Stops a profile's core (SIGTERM) and starts it again on the same profile and address. */
  async restartCore(host: WebModeHost, profileDir: string): Promise<WebModeHost> {
    expect(await host.stop('SIGTERM')).toBe(0);
    this.hosts.splice(this.hosts.indexOf(host), 1);
    const again = await startWebMode(profileDir, host.port, 60_000, { server: this.url });
    this.hosts.push(again);
    expect(again.url).toBe(host.url);
    return again;
  }

  async close(): Promise<void> {
    for (const host of this.hosts) await host.stop('SIGTERM');
    await this.server?.stop('SIGTERM');
    for (const profile of this.profiles) profile.remove();
    this.serverData?.remove();
  }
}

/** The directory core keeps in the profile (what the pickers show offline); null before the first fetch. */
export function cachedDirectory(profileDir: string): { rubrik: unknown[]; users: unknown[] } | null {
  const db = new Database(join(profileDir, 'core.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT body_json FROM directory_cache WHERE id = 1').get() as { body_json: string } | undefined;
    return row ? (JSON.parse(row.body_json) as { rubrik: unknown[]; users: unknown[] }) : null;
  } finally {
    db.close();
  }
}
