import { expect, type Page } from '@playwright/test';

export { freePort } from './freePort';

/**
 * What the e2e specs with a real newsroom server share: a port to restart the server on,
 * logging in through the login screen, and waiting until an exchange has completed.
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
