import { afterEach, describe, expect, it } from 'vitest';
import { createTestStorage, ENGINES, type TestStorage } from '../testing/testStorage';
import { MigrationDivergenceError, migrationChecksum, readApplied } from './migrate';
import { MIGRATIONS, type Migration } from './migrations';
import { openDatabase } from './openDatabase';

const addNotes: Migration = { id: '20261202_0001_notes', sql: 'CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL);' };
const broken: Migration = { id: '20261202_0002_broken', sql: 'CREATE TABLE half_done (id integer); SELECT * FROM no_such_table;' };

describe.each(ENGINES)('server migrations on %s', (engine) => {
  let storage: TestStorage;
  afterEach(async () => storage?.remove());

  const tables = async (db: { query: <R>(sql: string) => Promise<R[]> }) =>
    (await db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name")).map(
      (r) => r.table_name,
    );

  it('builds a fresh database, records every migration with its checksum, and applies nothing on reopen', async () => {
    storage = await createTestStorage(engine);
    const first = await openDatabase(storage.config);
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await tables(first.db)).toEqual(expect.arrayContaining(['users', 'sessions', 'rubrik', 'redaktur_rubrik', 'server_meta', 'schema_migrations']));
    expect(await readApplied(first.db)).toEqual(MIGRATIONS.map((m) => ({ id: m.id, checksum: migrationChecksum(m.sql) })));
    await first.close();

    const again = await openDatabase(storage.config);
    expect(again.applied).toEqual([]);
    expect(await readApplied(again.db)).toHaveLength(MIGRATIONS.length);
    await again.close();
  });

  it('upgrades a database made by an older list and keeps its data', async () => {
    storage = await createTestStorage(engine);
    const old = await openDatabase(storage.config);
    await old.db.query("INSERT INTO server_meta (key, value) VALUES ('probe', 'kept')");
    await old.close();
    const upgraded = await openDatabase(storage.config, [...MIGRATIONS, addNotes]);
    expect(upgraded.applied).toEqual([addNotes.id]);
    expect(await tables(upgraded.db)).toContain('notes');
    expect(await upgraded.db.query("SELECT value FROM server_meta WHERE key = 'probe'")).toEqual([{ value: 'kept' }]);
    await upgraded.close();
  });

  it('refuses to start when an applied migration changed (checksum), and changes nothing', async () => {
    storage = await createTestStorage(engine);
    await (await openDatabase(storage.config, [...MIGRATIONS, addNotes])).close();
    const edited = { ...addNotes, sql: addNotes.sql.replace('body text', 'text text') };
    const error = await openDatabase(storage.config, [...MIGRATIONS, edited]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationDivergenceError);
    expect((error as MigrationDivergenceError).ids).toEqual([addNotes.id]);
    expect((error as Error).message).toMatch(/Refusing to start/);

    const check = await openDatabase(storage.config, [...MIGRATIONS, addNotes]);
    expect(await readApplied(check.db)).toEqual([...MIGRATIONS, addNotes].map((m) => ({ id: m.id, checksum: migrationChecksum(m.sql) })));
    await check.close();
  });

  it('refuses a database migrated by a newer build (an applied migration this build does not know)', async () => {
    storage = await createTestStorage(engine);
    await (await openDatabase(storage.config, [...MIGRATIONS, addNotes])).close();
    await expect(openDatabase(storage.config, MIGRATIONS)).rejects.toThrow(MigrationDivergenceError);
    await expect(openDatabase(storage.config, MIGRATIONS)).rejects.toThrow(addNotes.id);
    const other: Migration = { id: '20261202_0001_other', sql: 'CREATE TABLE other (id integer);' };
    await expect(openDatabase(storage.config, [...MIGRATIONS, other])).rejects.toThrow(/20261202_0001_notes \(expected 20261202_0001_other\)/);
  });

  // PGlite has one process per data directory (locked), so only PostgreSQL sees this race.
  if (engine === 'postgres')
    it('lets two servers start together on one fresh PostgreSQL: one migrates, the other waits and finds it done', async () => {
      storage = await createTestStorage(engine);
      const both = await Promise.all([openDatabase(storage.config), openDatabase(storage.config)]);
      expect(both.map((o) => o.applied).sort((a, b) => a.length - b.length)).toEqual([[], MIGRATIONS.map((m) => m.id)]);
      expect(await readApplied(both[0].db)).toHaveLength(MIGRATIONS.length);
      await Promise.all(both.map((o) => o.close()));
    });

  it('rolls back a failing migration as a whole: nothing of it is left or recorded', async () => {
    storage = await createTestStorage(engine);
    await expect(openDatabase(storage.config, [...MIGRATIONS, addNotes, broken])).rejects.toThrow(/no_such_table/);
    const check = await openDatabase(storage.config, MIGRATIONS);
    // Even the good migrations of that batch were rolled back with it: one transaction.
    expect(check.applied).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await tables(check.db)).not.toContain('half_done');
    expect(await tables(check.db)).not.toContain('notes');
    await check.close();
  });
});
