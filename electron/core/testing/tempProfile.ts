import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../core';

/** A throwaway profile directory for tests. */
export function tempProfile(prefix = 'rr-core-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Row counts read through a separate connection, as another process would see them. */
export function rowCounts(profileDir: string): Record<string, number> {
  const db = new Database(join(profileDir, DATABASE_FILE), { readonly: true });
  try {
    const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return {
      stories: count('stories'),
      doc_updates: count('doc_updates'),
      doc_snapshots: count('doc_snapshots'),
      settings: count('settings'),
      stories_fts: count('stories_fts'),
    };
  } finally {
    db.close();
  }
}
