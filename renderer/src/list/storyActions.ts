import i18next from 'i18next';
import type { StorySummary } from '../../../shared/domain/story';
import { core } from '../core/coreContext';
import { useApp } from '../state/appStore';
import { dropRow, reloadList, refreshSearch } from '../state/storyListStore';

let creating = false;

/** Creates an empty draft, shows it at the top of the list and opens it. */
export async function createStory(): Promise<void> {
  if (creating) return;
  creating = true;
  try {
    const story = await core().client.services.stories.create({});
    useApp.getState().openStory(story.id, { focusHeadline: true });
    await reloadList();
  } catch {
    useApp.getState().showNotice({ message: i18next.t('list.actionFailed') });
  } finally {
    creating = false;
  }
}

export async function moveToTrash(story: StorySummary): Promise<void> {
  try {
    await core().client.services.stories.delete({ id: story.id });
  } catch {
    useApp.getState().showNotice({ message: i18next.t('list.actionFailed') });
    return;
  }
  dropRow(story.id);
  const app = useApp.getState();
  if (app.openStoryId === story.id) app.openStory(null);
  app.showNotice({
    message: i18next.t('list.movedToTrash'),
    action: { label: i18next.t('list.undo'), run: () => void restoreStory(story.id, false) },
  });
}

export async function restoreStory(id: string, announce = true): Promise<void> {
  try {
    await core().client.services.stories.restore({ id });
  } catch {
    useApp.getState().showNotice({ message: i18next.t('list.actionFailed') });
    return;
  }
  dropRow(id);
  await reloadList();
  refreshSearch();
  if (announce) useApp.getState().showNotice({ message: i18next.t('list.restored') });
}
