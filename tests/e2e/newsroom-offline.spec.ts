import { createServer } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { createStory, waitSaved } from '../support/app';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * The newsroom's face before any server is reached: the login screen appears beside the
 * list, says clearly when the server address does not answer, and can be left for offline
 * work; the sync indicator says offline and counts the stories edited here; the rubrik and
 * redaktur pickers are there (empty before the first sync) and never get in the way of typing.
 */
let host: WebModeHost | undefined;
let profile: ReturnType<typeof tempProfile>;

test.beforeEach(async () => {
  profile = tempProfile();
  host = await startWebMode(profile.dir);
});
test.afterEach(async () => {
  await host?.stop('SIGTERM');
  host = undefined;
  profile.remove();
});

/** An address on this machine where nobody listens: a port just taken and given back. */
async function deadAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const syncStatus = (page: Page) => page.getByTestId('sync-status');

test('login screen: unreachable server said clearly (id and en), left for offline work, back from the header', async ({ page }) => {
  await page.goto(host!.url);
  const login = page.getByTestId('login-screen');
  await expect(login).toBeVisible();
  await expect(page.getByTestId('story-list')).toBeVisible(); // writing never waits for the login
  await expect(page.getByRole('heading', { name: 'Masuk ke server redaksi' })).toBeVisible();

  await page.getByTestId('login-server-url').fill(await deadAddress());
  await page.getByTestId('login-username').fill('penulis1');
  await page.getByTestId('login-password').fill('redaksi123');
  await page.getByTestId('login-submit').click();
  const error = page.getByTestId('login-error');
  await expect(error).toHaveAttribute('data-code', 'server_unreachable');
  await expect(error).toContainText('Server tidak dapat dihubungi');
  await expect(error).toHaveAttribute('role', 'alert');

  await page.getByTestId('lang-switch').selectOption('en');
  await expect(error).toContainText('The server cannot be reached');
  await page.getByTestId('lang-switch').selectOption('id');

  // Offline work: the screen goes, the header offers to log in later.
  await page.getByTestId('login-offline').click();
  await expect(login).toBeHidden();
  await expect(syncStatus(page)).toHaveAttribute('data-state', 'offline');
  await expect(syncStatus(page)).toHaveAttribute('data-pending', '0');

  // The choice holds across a reload; the header brings the screen back, by keyboard too.
  await page.reload();
  await expect(page.getByTestId('story-list')).toBeVisible();
  await expect(page.getByTestId('header-login')).toBeVisible();
  await expect(login).toBeHidden();
  await page.getByTestId('header-login').focus();
  await page.keyboard.press('Enter');
  await expect(login).toBeVisible();
  await expect(page.getByTestId('login-error')).toHaveCount(0);
  await page.getByTestId('login-offline').click();
  await expect(login).toBeHidden();
});

test('offline: pickers render empty without breaking typing; the indicator counts edited stories as pending', async ({ page }) => {
  await page.goto(host!.url);
  await page.getByTestId('login-offline').click();
  await expect(syncStatus(page)).toHaveAttribute('data-state', 'offline');
  await expect(syncStatus(page)).toHaveAttribute('data-pending', '0');

  const first = await createStory(page);
  const rubrik = page.getByTestId('select-rubrik');
  const redaktur = page.getByTestId('select-redaktur');
  await expect(rubrik).toBeEnabled();
  await expect(redaktur).toBeEnabled();
  // Empty directory before the first sync: only the "choose" entry, and a hint why.
  await expect(rubrik.locator('option')).toHaveCount(1);
  await expect(redaktur.locator('option')).toHaveCount(1);
  await expect(page.getByRole('combobox', { name: 'Rubrik' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Redaktur' })).toBeVisible();
  await expect(page.getByTestId('byline')).toHaveText('Penulis: (belum ada)');

  await page.getByTestId('field-headline').fill('Pabrik mobil baru di Karawang');
  // Through the pickers by keyboard and on into the body: typing is not disturbed.
  await rubrik.focus();
  await page.keyboard.press('Tab');
  await expect(redaktur).toBeFocused();
  await page.getByTestId('editor-body').click();
  await page.keyboard.type('Produksi dimulai tahun depan.');
  await expect(page.getByTestId('word-count')).toHaveAttribute('data-words', '4');
  await waitSaved(page);
  await expect(syncStatus(page)).toHaveAttribute('data-pending', '1');

  const row = page.locator(`[data-testid="story-item"][data-story-id="${first}"]`);
  await expect(row).toHaveAttribute('data-sync-state', 'local');
  await expect(row.getByTestId('story-sync')).toHaveText('Lokal');

  await createStory(page);
  await page.getByTestId('editor-body').click();
  await page.keyboard.type('Naskah kedua.');
  await waitSaved(page);
  await expect(syncStatus(page)).toHaveAttribute('data-pending', '2');

  // Sync now offline: nothing breaks, still offline with the same count.
  await page.getByTestId('sync-now').click();
  await expect(syncStatus(page)).toHaveAttribute('data-state', 'offline');
  await expect(syncStatus(page)).toHaveAttribute('data-pending', '2');
});
