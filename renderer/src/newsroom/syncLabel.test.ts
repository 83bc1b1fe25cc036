import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { i18nOptions } from '../i18n/i18n';
import { syncLabel } from './syncLabel';

function say(language: 'id' | 'en', sync: Parameters<typeof syncLabel>[0]): string {
  const instance = i18next.createInstance(i18nOptions(language));
  void instance.init();
  const { key, count } = syncLabel(sync);
  return instance.t(key, count === undefined ? {} : { count });
}

describe('sync indicator wording', () => {
  it('never says synced while the server has not acknowledged every change', () => {
    expect(say('id', { state: 'online', pending: 3 })).toBe('Menunggu kirim (3)');
    expect(say('en', { state: 'online', pending: 1 })).toBe('1 waiting');
    expect(say('en', { state: 'online', pending: 1200 })).toBe('1,200 waiting');
    expect(say('id', { state: 'online', pending: 3 })).not.toBe('Tersinkron');
  });

  it('says synced only when online with nothing pending; other states keep their words', () => {
    expect(say('id', { state: 'online', pending: 0 })).toBe('Tersinkron');
    expect(say('en', { state: 'online', pending: 0 })).toBe('Synced');
    expect(say('id', { state: 'offline', pending: 2 })).toBe('Offline');
    expect(say('id', { state: 'syncing', pending: 2 })).toBe('Menyinkronkan…');
    expect(say('en', { state: 'error', pending: 0 })).toBe('Sync failed');
    expect(say('id', null)).toBe('Offline');
  });
});
