import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { createStory, openApp, openStory, waitSaved } from '../support/app';
import { startLinkProxy, type LinkProxy } from '../support/linkProxy';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * Photos between two profiles, every part real: the newsroom server as a process (PGlite,
 * demo accounts), two web-mode profiles, Chromium. penulis1 attaches a JPEG carrying an IPTC
 * credit, edits its caption, and the story syncs; redaktur1, on another profile, opens it and
 * sees the photo (the rendition fetched from the server and drawn), its caption and credit.
 * Then, with penulis1's link to the server throttled to a field connection (a TCP proxy), the
 * story's text reaches the redaktur while the photo's bytes are still on the way.
 *
 * One server for the file: a fresh PGlite data directory costs seconds to initialise.
 */

// Demo data (server/demo/demoData.ts): redaktur1 edits Nasional and everything below it.
const PASSWORD = 'redaksi123';
const RUBRIK_PATH = 'Nasional › Politik';
const REDAKTUR = { username: 'redaktur1', displayName: 'Ratna Kusumawardani' };
const PENULIS = 'penulis1';

/** Generous: two cores shared by several test runs; the engine retries with backoff. */
const SYNC_TIMEOUT = 120_000;

test.describe.configure({ mode: 'serial' });
test.setTimeout(480_000);

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/photos/${name}`, import.meta.url));

const profiles: Array<ReturnType<typeof tempProfile>> = [];
const hosts: WebModeHost[] = [];
const proxies: LinkProxy[] = [];
let serverData: ReturnType<typeof tempProfile>;
let server: ServerProcess | undefined;
let scratch: string;

test.beforeAll(async () => {
  serverData = tempProfile('rr-server-');
  scratch = mkdtempSync(join(tmpdir(), 'rr-photo-sync-'));
  server = await startServerProcess({ dataDir: serverData.dir, demo: true, timeoutMs: 120_000, onStderr: (text) => process.stderr.write(`[server] ${text}`) });
});

test.afterAll(async () => {
  for (const host of hosts) await host.stop('SIGTERM');
  for (const proxy of proxies) await proxy.close();
  await server?.stop('SIGTERM');
  for (const profile of profiles) profile.remove();
  serverData?.remove();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A fresh web-mode profile whose newsroom server is `serverUrl`, logged in as `username`. */
async function openProfile(browser: Browser, username: string, serverUrl: string): Promise<Page> {
  const profile = tempProfile();
  profiles.push(profile);
  const host = await startWebMode(profile.dir, 0, 60_000, { server: serverUrl });
  hosts.push(host);
  const page = await (await browser.newContext()).newPage();
  await openApp(page, host.url);
  await expect(page.getByTestId('login-screen')).toBeVisible();
  await page.getByTestId('login-server-url').fill(serverUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-screen')).toBeHidden({ timeout: 60_000 });
  await expect(page.getByTestId('user-menu')).toBeVisible();
  return page;
}

/** The story's place in the newsroom: the rubrik and redaktur that let redaktur1 see it. */
async function assignToRedaktur(page: Page): Promise<void> {
  await page.getByTestId('select-rubrik').selectOption({ label: RUBRIK_PATH });
  await page.getByTestId('select-redaktur').selectOption({ label: REDAKTUR.displayName });
}

/** The photo's thumbnail in the panel was drawn: its bytes arrived and decoded. */
async function expectThumbnailDrawn(item: Locator): Promise<void> {
  const img = item.locator('img.photo-img');
  await expect(img).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0)), { timeout: 30_000 }).toBeGreaterThan(0);
}

/** HEAD /photos/:sha256/:variant as a logged-in user: 200 when the server holds that file, 404 when not. */
async function serverPhotoStatus(serverUrl: string, sha256: string, variant: 'web' | 'original'): Promise<number> {
  const login = await fetch(new URL('/auth/login', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: REDAKTUR.username, password: PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const head = await fetch(new URL(`/photos/${sha256}/${variant}`, serverUrl), { method: 'HEAD', headers: { authorization: `Bearer ${token}` } });
  return head.status;
}

test('a photo with an IPTC credit and an edited caption reaches the redaktur on another profile, image and all', async ({ browser }) => {
  const writer = await openProfile(browser, PENULIS, server!.url);
  const storyId = await createStory(writer);
  await writer.getByTestId('field-headline').fill('Mobil pedesaan diuji di Klaten');
  await assignToRedaktur(writer);

  await writer.getByTestId('photo-attach-input').setInputFiles(fixture('iptc-xmp-credit.jpg'));
  const item = writer.getByTestId('photo-item');
  await expect(item).toHaveCount(1, { timeout: 30_000 });
  await expect(item.getByTestId('photo-credit')).toHaveValue('Foto : Istimewa');
  const sha256 = await item.getAttribute('data-sha256');
  expect(sha256).toMatch(/^[0-9a-f]{64}$/);

  const caption = 'Uji coba mobil pedesaan di Klaten, Jawa Tengah, Selasa (1/12).';
  await item.getByTestId('photo-caption').fill(caption);
  await waitSaved(writer);
  await expect(item).toHaveAttribute('data-upload', 'done', { timeout: SYNC_TIMEOUT });
  const status = writer.getByTestId('sync-status');
  await expect(status).toHaveAttribute('data-state', 'online', { timeout: SYNC_TIMEOUT });
  await expect(status).toHaveAttribute('data-pending', '0', { timeout: SYNC_TIMEOUT });

  const editor = await openProfile(browser, REDAKTUR.username, server!.url);
  await expect(editor.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`)).toBeVisible({ timeout: SYNC_TIMEOUT });
  await openStory(editor, storyId);
  const seen = editor.getByTestId('photo-item');
  await expect(seen).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  await expect(seen).toHaveAttribute('data-sha256', sha256!);
  await expect(seen.getByTestId('photo-caption')).toHaveValue(caption, { timeout: SYNC_TIMEOUT });
  await expect(seen.getByTestId('photo-credit')).toHaveValue('Foto : Istimewa');
  await expect(seen.getByTestId('photo-missing-credit')).toHaveCount(0);
  // The image itself: this profile never held the file, so its rendition came from the server.
  await expectThumbnailDrawn(seen);
  // Not "waiting to be uploaded" on the redaktur's screen: the photo is on the server.
  await expect(seen).toHaveAttribute('data-upload', 'done');
});

test('over a throttled link the story text reaches the redaktur while the photo is still uploading', async ({ browser }) => {
  // A photo big enough to take a while over the field link: noise does not compress.
  const bigPhoto = join(scratch, 'pantauan-banjir.jpg');
  await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#6080a0', noise: { type: 'gaussian', mean: 128, sigma: 64 } } })
    .jpeg({ quality: 92 })
    .toFile(bigPhoto);

  // penulis1's only way to the server: 128 kbit/s each way, 100 ms one way (the photo's two
  // files, about 2.6 MB, would take minutes; the text must not wait for them).
  const link = await startLinkProxy({ targetPort: server!.port, delayMs: 100 });
  proxies.push(link);
  const editor = await openProfile(browser, REDAKTUR.username, server!.url);
  const writer = await openProfile(browser, PENULIS, link.url);
  link.setBandwidth(16 * 1024);

  // The photo first, then the words: the text must not wait behind the photo's bytes.
  const storyId = await createStory(writer);
  await writer.getByTestId('photo-attach-input').setInputFiles(bigPhoto);
  const item = writer.getByTestId('photo-item');
  await expect(item).toHaveCount(1, { timeout: 60_000 });
  const sha256 = (await item.getAttribute('data-sha256'))!;
  await expect(item).toHaveAttribute('data-upload', 'uploading', { timeout: SYNC_TIMEOUT });

  const headline = 'Banjir rendam tiga kecamatan di Medan';
  const body = 'Air setinggi satu meter menggenangi permukiman sejak subuh.';
  await writer.getByTestId('field-headline').fill(headline);
  await assignToRedaktur(writer);
  await writer.getByTestId('editor-body').click();
  await writer.keyboard.type(body);
  await waitSaved(writer);

  // The redaktur has the words (list, headline, body) ...
  const row = editor.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`);
  await expect(row).toContainText(headline, { timeout: SYNC_TIMEOUT });
  await openStory(editor, storyId);
  await expect(editor.getByTestId('field-headline')).toHaveValue(headline);
  await expect(editor.getByTestId('editor-body')).toContainText(body, { timeout: SYNC_TIMEOUT });
  // ... while the photo's original is not on the server yet and the penulis is still sending.
  expect(await serverPhotoStatus(server!.url, sha256, 'original')).toBe(404);
  await expect(item).not.toHaveAttribute('data-upload', 'done');
  const seen = editor.getByTestId('photo-item');
  await expect(seen).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  await expect(seen).toHaveAttribute('data-sha256', sha256);

  // The link recovers: the photo completes and the redaktur's open story shows it by itself.
  link.setBandwidth(null);
  link.setDelay(0);
  await expect(item).toHaveAttribute('data-upload', 'done', { timeout: SYNC_TIMEOUT });
  expect(await serverPhotoStatus(server!.url, sha256, 'original')).toBe(200);
  await expectThumbnailDrawn(seen);
  await expect(seen).toHaveAttribute('data-upload', 'done');
});
