import type { UiLanguage } from '../../../shared/rpc/contract';
import { core } from '../core/coreContext';
import { applyLanguage } from '../i18n/i18n';
import { isUiLanguage } from '../i18n/languages';
import { useApp } from '../state/appStore';

/** The language chosen while core was unreachable, to save once it is back. */
let unsaved: UiLanguage | null = null;

export async function changeLanguage(language: UiLanguage): Promise<void> {
  if (!isUiLanguage(language)) return;
  useApp.getState().setLanguage(language);
  await applyLanguage(language);
  try {
    await core().client.services.settings.set({ key: 'uiLanguage', value: language });
    unsaved = null;
  } catch {
    unsaved = language;
  }
}

/** On (re)connect: save a pending choice, else adopt the stored one. */
export async function syncSettings(): Promise<void> {
  if (unsaved) {
    await changeLanguage(unsaved);
    return;
  }
  try {
    const settings = await core().client.services.settings.getAll({});
    if (settings.uiLanguage !== useApp.getState().language) {
      useApp.getState().setLanguage(settings.uiLanguage);
      await applyLanguage(settings.uiLanguage);
    }
  } catch {
    // Keep the current language; the next reconnect tries again.
  }
}
