import i18next, { type InitOptions } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { UiLanguage } from '../../../shared/rpc/contract';
import { en } from './en';
import { id } from './id';

export const DEFAULT_LANGUAGE: UiLanguage = 'id';

/**
 * The i18next setup of the app. Counts in messages are written `{{count, number}}`, which
 * i18next formats with Intl.NumberFormat of the current language (id 1.234, en 1,234).
 */
export function i18nOptions(language: UiLanguage): InitOptions {
  return {
    resources: { id: { translation: id }, en: { translation: en } },
    lng: language,
    fallbackLng: 'id',
    supportedLngs: ['id', 'en'],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    initAsync: false,
    showSupportNotice: false,
  };
}

/** One i18next instance for the app; Indonesian first, English on request. */
export function initI18n(language: UiLanguage = DEFAULT_LANGUAGE): typeof i18next {
  void i18next.use(initReactI18next).init(i18nOptions(language));
  document.documentElement.lang = language;
  return i18next;
}

export async function applyLanguage(language: UiLanguage): Promise<void> {
  if (i18next.language !== language) await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

/** Locale tags for Intl formatting of dates and numbers. */
export function localeOf(language: string): string {
  return language === 'en' ? 'en-GB' : 'id-ID';
}
