import { expect, type Page } from '@playwright/test';

/** Opens web mode's URL and waits for the story list. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('story-list')).toBeVisible();
}

/** From the list (or an open editor after a reload), opens the story with this id. */
export async function openStory(page: Page, storyId: string): Promise<void> {
  const list = page.getByTestId('story-list');
  const body = page.getByTestId('editor-body');
  await expect(list.or(body).first()).toBeVisible();
  if (!(await list.isVisible())) return;
  await page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`).click();
  await expect(body).toBeVisible();
}

/** Creates a story with Ctrl+N-equivalent button and returns its id once the editor is up. */
export async function createStory(page: Page): Promise<string> {
  await page.getByTestId('story-new').click();
  await expect(page.getByTestId('editor-body')).toBeVisible();
  await expect(page.getByTestId('editor-body')).toHaveAttribute('contenteditable', 'true');
  const id = await page.getByTestId('editor-body').evaluate((el) => el.closest('[data-story-id]')?.getAttribute('data-story-id'));
  if (!id) throw new Error('the editor must sit inside an element carrying data-story-id');
  return id;
}

export async function waitSaved(page: Page): Promise<void> {
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
}

/** The body as a reader would see it (paragraph texts joined by single spaces). */
export async function bodyWords(page: Page): Promise<string> {
  const text = await page.getByTestId('editor-body').innerText();
  return text.replace(/Halaman Selanjutnya/g, ' ').replace(/\s+/g, ' ').trim();
}
