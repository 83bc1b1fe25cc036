import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bodyPlainText, getMetaMap } from '../../../shared/doc/storyDoc';
import type { StorySummary } from '../../../shared/domain/story';
import { writeStoryBody } from '../../../shared/editor/headless';
import { createRpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { createMemoryEndpointPair } from '../../../shared/rpc/memoryTransport';
import { DATABASE_FILE, openCore, type Core } from '../core';
import { lockProfile } from '../profile/profileLock';
import { tempProfile } from '../testing/tempProfile';

let profile: ReturnType<typeof tempProfile>;
let core: Core | undefined;
let internalErrors: string[];
beforeEach(() => {
  profile = tempProfile();
  internalErrors = [];
});
afterEach(() => {
  core?.close();
  core = undefined;
  profile.remove();
});

const onInternalError = (what: string) => internalErrors.push(what);
const GARBAGE = Buffer.from([1, 200, 7, 7, 7, 7]);

function withDb<T>(work: (db: Database.Database) => T): T {
  const db = new Database(join(profile.dir, DATABASE_FILE));
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Creates stories with a headline and body each, closes core cleanly (everything folded into snapshots). */
async function seed(headlines: string[]): Promise<string[]> {
  core = openCore({ profileDir: profile.dir, onInternalError });
  const ids: string[] = [];
  for (const headline of headlines) {
    const { id } = await core.services.stories.create({});
    const doc = new Y.Doc();
    getMetaMap(doc).set('headline', headline);
    await core.services.docs.push({ storyId: id, update: Y.encodeStateAsUpdate(doc) });
    await core.services.docs.push({ storyId: id, update: writeStoryBody(doc, [{ type: 'paragraph', children: [`Isi ${headline}`] }]) });
    ids.push(id);
  }
  core.close();
  core = undefined;
  return ids;
}

/** The stored rows of one story's document, as bytes, for "nothing was overwritten". */
function storedBytes(storyId: string): { snapshot: string | null; log: string[] } {
  return withDb((db) => {
    const rowId = db.prepare('SELECT row_id FROM stories WHERE id = ?').pluck().get(storyId) as number;
    const snap = db.prepare('SELECT state, up_to_seq FROM doc_snapshots WHERE story_row_id = ?').get(rowId) as { state: Buffer; up_to_seq: number } | undefined;
    const log = db.prepare('SELECT seq, data FROM doc_updates WHERE story_row_id = ? ORDER BY seq').all(rowId) as { seq: number; data: Buffer }[];
    return { snapshot: snap ? `${snap.up_to_seq}:${snap.state.toString('hex')}` : null, log: log.map((r) => `${r.seq}:${r.data.toString('hex')}`) };
  });
}

/** What a crash mid-typing leaves: the story's index marked stale (every push sets it). */
function markStale(storyId: string): void {
  withDb((db) => db.prepare('UPDATE stories SET index_stale = 1 WHERE id = ?').run(storyId));
}

describe('a damaged story never keeps core from starting', () => {
  it('starts with a stale story whose snapshot does not load: that story is flagged damaged and kept, the others work', async () => {
    const [damagedId, healthyId, otherId] = await seed(['Rusak', 'Sehat', 'Lain']);
    withDb((db) => db.prepare('UPDATE doc_snapshots SET state = ? WHERE story_row_id = (SELECT row_id FROM stories WHERE id = ?)').run(GARBAGE, damagedId));
    markStale(damagedId!);
    markStale(otherId!);
    const before = storedBytes(damagedId!);

    core = openCore({ profileDir: profile.dir, onInternalError });
    const { items } = await core.services.stories.list({});
    expect(Object.fromEntries(items.map((s) => [s.id, s.damaged]))).toEqual({ [damagedId!]: true, [healthyId!]: false, [otherId!]: false });
    await expect(core.services.docs.open({ storyId: damagedId! })).rejects.toMatchObject({ code: 'story_damaged' });
    const edit = new Y.Doc();
    getMetaMap(edit).set('headline', 'Timpa');
    await expect(core.services.docs.push({ storyId: damagedId!, update: Y.encodeStateAsUpdate(edit) })).rejects.toMatchObject({ code: 'story_damaged' });

    for (const [id, text] of [[healthyId!, 'Isi Sehat'], [otherId!, 'Isi Lain']] as const) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, (await core.services.docs.open({ storyId: id })).state);
      expect(bodyPlainText(doc)).toBe(text);
      await core.services.docs.close({ storyId: id });
    }
    // The other stale story was refreshed; the damaged one was left as it was.
    expect(withDb((db) => db.prepare('SELECT id, index_stale FROM stories ORDER BY row_id').all())).toEqual([
      { id: damagedId, index_stale: 1 },
      { id: healthyId, index_stale: 0 },
      { id: otherId, index_stale: 0 },
    ]);
    core.close();
    core = undefined;
    expect(storedBytes(damagedId!)).toEqual(before);

    // Durable: a restart still says damaged, without reading the bytes again.
    internalErrors = [];
    core = openCore({ profileDir: profile.dir, onInternalError });
    expect((await core.services.stories.get({ id: damagedId! })).damaged).toBe(true);
    expect(internalErrors).toEqual([]);
    const reason = withDb((db) => db.prepare('SELECT damaged_at, damage_reason FROM stories WHERE id = ?').get(damagedId)) as {
      damaged_at: number;
      damage_reason: string;
    };
    expect(reason.damaged_at).toBeGreaterThan(0);
    expect(reason.damage_reason.length).toBeGreaterThan(0);
  });

  it('starts with a stale story whose update log holds an unreadable row, and keeps that row', async () => {
    const [damagedId, healthyId] = await seed(['Rusak', 'Sehat']);
    withDb((db) => {
      const row = db.prepare('SELECT row_id, up_to_seq FROM stories JOIN doc_snapshots ON story_row_id = row_id WHERE id = ?').get(damagedId) as {
        row_id: number;
        up_to_seq: number;
      };
      db.prepare('INSERT INTO doc_updates (story_row_id, seq, data, created_at) VALUES (?, ?, ?, 0)').run(row.row_id, row.up_to_seq + 1, GARBAGE);
    });
    markStale(damagedId!);
    const before = storedBytes(damagedId!);
    expect(before.log).toHaveLength(1);

    core = openCore({ profileDir: profile.dir, onInternalError, compactEvery: 1 });
    expect((await core.services.stories.get({ id: damagedId! })).damaged).toBe(true);
    expect((await core.services.stories.get({ id: healthyId! })).damaged).toBe(false);
    await expect(core.services.docs.open({ storyId: damagedId! })).rejects.toMatchObject({ code: 'story_damaged' });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await core.services.docs.open({ storyId: healthyId! })).state);
    expect(bodyPlainText(doc)).toBe('Isi Sehat');
    core.close();
    core = undefined;
    expect(storedBytes(damagedId!)).toEqual(before);
  });

  it('flags a story damaged when its snapshot is found unreadable at the first push, and tells the clients', async () => {
    const [damagedId] = await seed(['Rusak']);
    withDb((db) => db.prepare('UPDATE doc_snapshots SET state = ?').run(GARBAGE));
    const before = storedBytes(damagedId!);
    core = openCore({ profileDir: profile.dir, onInternalError });
    expect((await core.services.stories.get({ id: damagedId! })).damaged).toBe(false); // not stale: not read at start
    const [serverSide, clientSide] = createMemoryEndpointPair();
    core.rpcServer.attach(serverSide);
    const client = createRpcClient<CoreServices, CoreEvents>(clientSide);
    const changed: StorySummary[] = [];
    client.on('storyChanged', (s) => changed.push(s));
    await client.services.docs.open({ storyId: damagedId! }); // handed over as stored, unread
    const edit = new Y.Doc();
    getMetaMap(edit).set('headline', 'Timpa');
    await expect(client.services.docs.push({ storyId: damagedId!, update: Y.encodeStateAsUpdate(edit) })).rejects.toMatchObject({ code: 'story_damaged' });
    expect((await client.services.stories.get({ id: damagedId! })).damaged).toBe(true);
    expect(changed.map((s) => [s.id, s.damaged])).toEqual([[damagedId, true]]);
    client.dispose();
    core.close();
    core = undefined;
    expect(storedBytes(damagedId!)).toEqual(before);
  });

  it('closes the store and frees the profile when opening fails after the database is open', async () => {
    await seed(['Satu']);
    // A store whose schema lacks a table core needs: building the services fails.
    withDb((db) => db.exec('ALTER TABLE settings RENAME TO settings_moved'));
    expect(() => openCore({ profileDir: profile.dir, onInternalError })).toThrow(/settings/);
    // The profile is free again, and no connection holds the store (the last one to close removes the WAL).
    lockProfile(profile.dir).release();
    expect(existsSync(join(profile.dir, `${DATABASE_FILE}-wal`))).toBe(false);
    withDb((db) => db.exec('ALTER TABLE settings_moved RENAME TO settings'));
    core = openCore({ profileDir: profile.dir, onInternalError });
    expect((await core.services.stories.list({})).total).toBe(1);
  });

  it('survives an index write that fails in the refresh timer: reported, story left stale, refreshed on the next start', async () => {
    const [id] = await seed(['Banjir']);
    core = openCore({ profileDir: profile.dir, onInternalError, indexDelayMs: 20 });
    const { state } = await core.services.docs.open({ storyId: id! });
    const client = new Y.Doc();
    Y.applyUpdate(client, state);
    // The FTS table vanishing under core is an I/O failure as far as the index write is concerned.
    withDb((db) => db.exec('ALTER TABLE stories_fts RENAME TO stories_fts_moved'));
    await core.services.docs.push({ storyId: id!, update: writeStoryBody(client, [{ type: 'paragraph', children: ['satu dua tiga empat'] }]) });
    await expect.poll(() => internalErrors, { timeout: 10_000 }).toContain('docs.index');
    expect(withDb((db) => db.prepare('SELECT index_stale, word_count FROM stories').get())).toEqual({ index_stale: 1, word_count: 2 });
    // Core is still serving.
    expect((await core.services.stories.get({ id: id! })).damaged).toBe(false);
    core.close();
    core = undefined;

    withDb((db) => db.exec('ALTER TABLE stories_fts_moved RENAME TO stories_fts'));
    core = openCore({ profileDir: profile.dir, onInternalError });
    expect(await core.services.stories.get({ id: id! })).toMatchObject({ wordCount: 4, damaged: false });
    expect((await core.services.stories.search({ query: 'empat' })).map((h) => h.id)).toEqual([id]);
  });
});
