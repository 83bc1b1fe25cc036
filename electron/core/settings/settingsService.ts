import type Database from 'better-sqlite3';
import type { Settings, SettingsService } from '../../../shared/rpc/contract';
import { UI_LANGUAGES, type UiLanguage } from '../../../shared/rpc/contract';

export const DEFAULT_SETTINGS: Settings = { uiLanguage: 'id' };

/** Settings live as JSON values by key; an unreadable or unknown value falls back to the default. */
export function createSettingsService(db: Database.Database): SettingsService {
  const readAll = db.prepare('SELECT key, value FROM settings');
  const write = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');

  function load(): Settings {
    const stored = new Map((readAll.all() as { key: string; value: string }[]).map((r) => [r.key, parse(r.value)]));
    const lang = stored.get('uiLanguage');
    return {
      uiLanguage: UI_LANGUAGES.includes(lang as UiLanguage) ? (lang as UiLanguage) : DEFAULT_SETTINGS.uiLanguage,
    };
  }

  return {
    async getAll() {
      return load();
    },
    async set({ key, value }) {
      write.run(key, JSON.stringify(value));
      return load();
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
