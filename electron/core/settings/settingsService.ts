import type Database from 'better-sqlite3';
import type { Settings, SettingsService } from '../../../shared/rpc/contract';
import { UI_LANGUAGES, type UiLanguage } from '../../../shared/rpc/contract';
import { DEFAULT_MAX_PHOTO_MEGABYTES, MAX_PHOTO_MEGABYTES_CEILING } from '../../../shared/domain/photo';

export const DEFAULT_SETTINGS: Settings = { uiLanguage: 'id', maxPhotoMegabytes: DEFAULT_MAX_PHOTO_MEGABYTES };

/**
 * The profile's settings as they stand now. Settings live as JSON values by key; an unreadable
 * or unknown value (an older build, a hand-edited store) falls back to the default.
 */
export function loadSettings(db: Database.Database): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const stored = new Map(rows.map((r) => [r.key, parse(r.value)]));
  const lang = stored.get('uiLanguage');
  const maxPhoto = stored.get('maxPhotoMegabytes');
  return {
    uiLanguage: UI_LANGUAGES.includes(lang as UiLanguage) ? (lang as UiLanguage) : DEFAULT_SETTINGS.uiLanguage,
    maxPhotoMegabytes:
      typeof maxPhoto === 'number' && Number.isInteger(maxPhoto) && maxPhoto >= 1 && maxPhoto <= MAX_PHOTO_MEGABYTES_CEILING
        ? maxPhoto
        : DEFAULT_SETTINGS.maxPhotoMegabytes,
  };
}

/** Values arrive validated by the RPC schema (shared/rpc/contract.ts `settings.set`). */
export function createSettingsService(db: Database.Database): SettingsService {
  const write = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  return {
    async getAll() {
      return loadSettings(db);
    },
    async set({ key, value }) {
      write.run(key, JSON.stringify(value));
      return loadSettings(db);
    },
  };
}

function parse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}
