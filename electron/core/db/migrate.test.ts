import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrationDivergenceError, migrationChecksum } from './migrate';
import { MIGRATIONS, type Migration } from './migrations';
import { openDatabase } from './openDatabase';

const addNotes: Migration = { id: '20261129_0001_notes', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);' };

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rr-migrate-'));
  file = join(dir, 'core.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all() as { name: string }[]).map((r) => r.name);
const applied = (db: Database.Database) =>
  db.prepare('SELECT id, checksum FROM schema_migrations ORDER BY rowid').all() as { id: string; checksum: string }[];

describe('migrations', () => {
  it('builds a fresh store with every table, WAL and foreign keys', () => {
    const db = openDatabase(file);
    expect(tables(db)).toEqual(expect.arrayContaining(['stories', 'doc_updates', 'doc_snapshots', 'settings', 'stories_fts', 'schema_migrations']));
    expect(applied(db)).toEqual(MIGRATIONS.map((m) => ({ id: m.id, checksum: migrationChecksum(m.sql) })));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    db.close();
    // Reopening applies nothing and keeps the record.
    const again = openDatabase(file);
    expect(applied(again)).toHaveLength(MIGRATIONS.length);
    again.close();
  });

  it('upgrades a store made by an older list, keeping its data', () => {
    const old = openDatabase(file, { migrations: MIGRATIONS });
    old.prepare("INSERT INTO settings (key, value) VALUES ('uiLanguage', '\"en\"')").run();
    old.close();
    const db = openDatabase(file, { migrations: [...MIGRATIONS, addNotes] });
    expect(applied(db).map((a) => a.id)).toEqual([...MIGRATIONS.map((m) => m.id), addNotes.id]);
    expect(tables(db)).toContain('notes');
    expect(db.prepare('SELECT value FROM settings').pluck().get()).toBe('"en"');
    db.close();
  });

  it('refuses a store whose applied migration changed its checksum', () => {
    openDatabase(file, { migrations: [...MIGRATIONS, addNotes] }).close();
    const edited = { ...addNotes, sql: addNotes.sql.replace('text TEXT', 'body TEXT') };
    let error: unknown;
    try {
      openDatabase(file, { migrations: [...MIGRATIONS, edited] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MigrationDivergenceError);
    expect((error as MigrationDivergenceError).ids).toEqual([addNotes.id]);
    expect((error as Error).message).toContain(addNotes.id);
  });

  it('refuses a store with an applied migration this build does not know, and changes nothing', () => {
    openDatabase(file, { migrations: [...MIGRATIONS, addNotes] }).close();
    expect(() => openDatabase(file, { migrations: MIGRATIONS })).toThrow(MigrationDivergenceError);
    expect(() => openDatabase(file, { migrations: MIGRATIONS })).toThrow(addNotes.id);
    const raw = new Database(file);
    expect(applied(raw).map((a) => a.id)).toEqual([...MIGRATIONS.map((m) => m.id), addNotes.id]);
    raw.close();
  });

  it('refuses when a different migration sits at an applied position', () => {
    openDatabase(file, { migrations: [...MIGRATIONS, addNotes] }).close();
    const other: Migration = { id: '20261129_0001_other', sql: 'CREATE TABLE other (id INTEGER);' };
    expect(() => openDatabase(file, { migrations: [...MIGRATIONS, other] })).toThrow(/20261129_0001_notes/);
  });

  it('rolls back a failing migration as a whole', () => {
    openDatabase(file).close();
    const good: Migration = { id: '20261129_0001_a', sql: 'CREATE TABLE a (id INTEGER);' };
    const bad: Migration = { id: '20261129_0002_b', sql: 'CREATE TABLE b (id INTEGER); THIS IS NOT SQL;' };
    expect(() => openDatabase(file, { migrations: [...MIGRATIONS, good, bad] })).toThrow();
    const raw = new Database(file);
    expect(tables(raw)).not.toContain('a');
    expect(applied(raw)).toHaveLength(MIGRATIONS.length);
    raw.close();
  });
});
