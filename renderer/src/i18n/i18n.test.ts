import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { i18nOptions } from './i18n';
import { id } from './id';

function translatorFor(language: 'id' | 'en') {
  const instance = i18next.createInstance(i18nOptions(language));
  void instance.init();
  return instance.t.bind(instance);
}

/** Every message text with its key path, e.g. ['list.count_one', '{{count, number}} naskah']. */
function messages(tree: object, prefix = ''): Array<[string, string]> {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : messages(value as object, `${prefix}${key}.`),
  );
}

describe('counts follow the UI language', () => {
  it('groups thousands the Indonesian way in id', () => {
    const t = translatorFor('id');
    expect(t('editor.words', { count: 1234 })).toBe('1.234 kata');
    expect(t('list.words', { count: 20_000 })).toBe('20.000 kata');
    expect(t('list.count', { count: 10_000 })).toBe('10.000 naskah');
    expect(t('list.results', { count: 1234 })).toBe('1.234 hasil');
    expect(t('list.resultsMany', { count: 1000 })).toMatch(/^1\.000 hasil teratas/);
  });

  it('groups thousands the English way in en, and still picks the plural', () => {
    const t = translatorFor('en');
    expect(t('editor.words', { count: 1234 })).toBe('1,234 words');
    expect(t('editor.words', { count: 1 })).toBe('1 word');
    expect(t('list.words', { count: 20_000 })).toBe('20,000 words');
    expect(t('list.count', { count: 10_000 })).toBe('10,000 stories');
    expect(t('list.results', { count: 1234 })).toBe('1,234 results');
    expect(t('list.resultsMany', { count: 1000 })).toBe('Top 1,000 results — narrow the search to see others');
  });

  it('formats every count in every message (no bare {{count}})', () => {
    for (const [key, text] of [...messages(id), ...messages(en)]) {
      expect(text, key).not.toMatch(/\{\{\s*count\s*\}\}/);
    }
  });
});
