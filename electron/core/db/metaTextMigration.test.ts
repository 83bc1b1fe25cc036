import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeMetaText } from '../../../shared/doc/metaText';
import { bodyPlainText, getMetaMap, getMetaText, readMeta, type StoryMeta } from '../../../shared/doc/storyDoc';
import { writeStoryBody } from '../../../shared/editor/headless';
import { DATABASE_FILE, openCore } from '../core';
import { DocLog } from '../docs/docLog';
import { PreviousVersionStore } from '../testing/previousVersionStore';
import { MIGRATIONS } from './migrations';
import { upgradeStoredMeta } from './migrations/20261201_0002_meta_text';
import { openDatabase } from './openDatabase';

/**
 * Upgrading a store written before headline/subheadline/kicker/lead were collaborative
 * texts: the old store is built by the previous migration list and filled the way the
 * previous renderer wrote (plain strings in the meta map), with SQL against the previous schema.
 */

const OLD_MIGRATIONS = MIGRATIONS.filter((m) => m.id === '20261128_0001_init');
const DAMAGED = Buffer.from([1, 200, 7, 7, 7, 7]);

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rr-meta-migration-'));
  file = join(dir, DATABASE_FILE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface OldStore {
  ids: { compacted: string; withTail: string; damaged: string; neverEdited: string; alreadyNew: string; trashed: string };
  meta: Record<string, StoryMeta>;
}

/** What the previous renderer pushed: every meta field a plain string in the map. */
function oldShapeEdit(client: Y.Doc, fields: Record<string, string>): Uint8Array {
  const before = Y.encodeStateVector(client);
  client.transact(() => {
    for (const [k, v] of Object.entries(fields)) getMetaMap(client).set(k, v);
  });
  return Y.encodeStateAsUpdate(client, before);
}

function buildOldStore(): OldStore {
  const db = openDatabase(file, { migrations: OLD_MIGRATIONS });
  const docs = new PreviousVersionStore(db);
  const create = (n: number) => docs.create(n);
  const ids = {
    compacted: create(1),
    withTail: create(2),
    damaged: create(3),
    neverEdited: create(4),
    alreadyNew: create(5),
    trashed: create(6),
  };

  const compacted = new Y.Doc();
  docs.push(ids.compacted, oldShapeEdit(compacted, { headline: 'Harga Beras Naik', subheadline: 'Pedagang mengeluh', dateline: 'JAKARTA', lead: 'Harga beras di Pasar Induk Cipinang naik 😟.' }));
  docs.push(ids.compacted, writeStoryBody(compacted, [{ type: 'paragraph', children: ['Pedagang beras mengeluh.'] }]));

  // Opened and never closed, like a crash: the last edits stay in the log after the snapshot.
  const withTail = new Y.Doc();
  docs.push(ids.withTail, oldShapeEdit(withTail, { headline: 'Banjir Rob', lead: 'Air laut pasang.' }));
  docs.open(ids.withTail);
  docs.push(ids.withTail, oldShapeEdit(withTail, { lead: 'Air laut pasang merendam rumah.' }));
  docs.push(ids.withTail, oldShapeEdit(withTail, { kicker: 'Pesisir Utara' }));

  docs.push(ids.damaged, oldShapeEdit(new Y.Doc(), { headline: 'Naskah rusak' }));

  const fresh = new Y.Doc();
  writeMetaText(fresh, 'headline', 'Sudah bentuk baru');
  docs.push(ids.alreadyNew, Y.encodeStateAsUpdate(fresh));

  docs.push(ids.trashed, oldShapeEdit(new Y.Doc(), { headline: 'Di tempat sampah', lead: 'Masih bisa dipulihkan.' }));
  db.prepare('UPDATE stories SET deleted_at = 5 WHERE id = ?').run(ids.trashed);

  const meta: Record<string, StoryMeta> = {};
  for (const id of [ids.compacted, ids.withTail, ids.alreadyNew, ids.trashed]) meta[id] = readMeta(storedDoc(db, id));
  db.prepare("UPDATE doc_snapshots SET state = ? WHERE story_row_id = (SELECT row_id FROM stories WHERE id = ?)").run(DAMAGED, ids.damaged);
  db.prepare('UPDATE stories SET dirty = 0').run();
  db.close(); // no closeAll: the tail of `withTail` stays in the log
  return { ids, meta };
}

function rowIdOf(db: Database.Database, id: string): number {
  return db.prepare('SELECT row_id FROM stories WHERE id = ?').pluck().get(id) as number;
}

function storedDoc(db: Database.Database, id: string): Y.Doc {
  const stored = new DocLog(db).load(rowIdOf(db, id));
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc;
}

function logRows(db: Database.Database, id: string): { seq: number; data: Buffer }[] {
  return db.prepare('SELECT seq, data FROM doc_updates WHERE story_row_id = ? ORDER BY seq').all(rowIdOf(db, id)) as { seq: number; data: Buffer }[];
}

function snapshotRow(db: Database.Database, id: string): { state: Buffer; up_to_seq: number } | undefined {
  return db.prepare('SELECT state, up_to_seq FROM doc_snapshots WHERE story_row_id = ?').get(rowIdOf(db, id)) as { state: Buffer; up_to_seq: number } | undefined;
}

describe('migration 20261201_0002_meta_text', () => {
  it('moves old-style prose fields into their texts, word for word, with one appended update per story', () => {
    const { ids, meta } = buildOldStore();
    const raw = new Database(file);
    const before = {
      compacted: { log: logRows(raw, ids.compacted), snap: snapshotRow(raw, ids.compacted) },
      withTail: { log: logRows(raw, ids.withTail), snap: snapshotRow(raw, ids.withTail) },
      damaged: { log: logRows(raw, ids.damaged), snap: snapshotRow(raw, ids.damaged) },
      alreadyNew: { log: logRows(raw, ids.alreadyNew), snap: snapshotRow(raw, ids.alreadyNew) },
      stories: raw.prepare('SELECT id, headline, updated_at, deleted_at FROM stories ORDER BY row_id').all(),
    };
    raw.close();
    expect(before.withTail.log.length).toBe(2); // the old store really has a tail
    expect(before.compacted.log.length).toBe(0);

    const db = openDatabase(file);
    expect(db.prepare('SELECT id FROM schema_migrations ORDER BY rowid').pluck().all()).toEqual(MIGRATIONS.map((m) => m.id));

    for (const id of [ids.compacted, ids.withTail, ids.trashed]) {
      const doc = storedDoc(db, id);
      expect(readMeta(doc)).toEqual(meta[id]); // nothing a reader sees changed
      for (const field of ['headline', 'subheadline', 'kicker', 'lead'] as const) {
        expect(getMetaMap(doc).has(field)).toBe(false);
        expect(getMetaText(doc, field).toString()).toBe(meta[id]![field]);
      }
    }
    expect(readMeta(storedDoc(db, ids.compacted))).toMatchObject({ lead: 'Harga beras di Pasar Induk Cipinang naik 😟.', dateline: 'JAKARTA' });
    expect(readMeta(storedDoc(db, ids.withTail))).toMatchObject({ lead: 'Air laut pasang merendam rumah.', kicker: 'Pesisir Utara' });
    expect(bodyPlainText(storedDoc(db, ids.compacted))).toBe('Pedagang beras mengeluh.');

    // Appended after what was there; what was there kept its bytes.
    const compactedLog = logRows(db, ids.compacted);
    expect(compactedLog.map((r) => r.seq)).toEqual([before.compacted.snap!.up_to_seq + 1]);
    expect(snapshotRow(db, ids.compacted)).toEqual(before.compacted.snap);
    const tailLog = logRows(db, ids.withTail);
    expect(tailLog.slice(0, 2)).toEqual(before.withTail.log);
    expect(tailLog.map((r) => r.seq)).toEqual([...before.withTail.log.map((r) => r.seq), before.withTail.log[1]!.seq + 1]);

    // The damaged story and the one already in the new shape are untouched.
    expect(snapshotRow(db, ids.damaged)).toEqual(before.damaged.snap);
    expect(logRows(db, ids.damaged)).toEqual(before.damaged.log);
    expect(snapshotRow(db, ids.alreadyNew)).toEqual(before.alreadyNew.snap);
    expect(logRows(db, ids.alreadyNew)).toEqual(before.alreadyNew.log);
    expect(logRows(db, ids.neverEdited)).toEqual([]);

    // The list is as it was (nobody edited anything); the changed stories await a sync.
    expect(db.prepare('SELECT id, headline, updated_at, deleted_at FROM stories ORDER BY row_id').all()).toEqual(before.stories);
    expect(db.prepare('SELECT id FROM stories WHERE dirty = 1 ORDER BY row_id').pluck().all()).toEqual([ids.compacted, ids.withTail, ids.trashed]);

    // Running the step again finds nothing to do.
    expect(upgradeStoredMeta(db)).toEqual({ upgraded: 0, unreadable: 1 });
    db.close();
  });

  it('an upgraded store opens in core, and two clients editing the lead keep both words', async () => {
    const { ids } = buildOldStore();
    const core = openCore({ profileDir: dir, indexDelayMs: 1 });
    try {
      const { state } = await core.services.docs.open({ storyId: ids.withTail });
      const a = new Y.Doc();
      const b = new Y.Doc();
      Y.applyUpdate(a, state);
      Y.applyUpdate(b, state);
      const push = async (doc: Y.Doc, edit: () => void) => {
        const sv = Y.encodeStateVector(doc);
        edit();
        await core.services.docs.push({ storyId: ids.withTail, update: Y.encodeStateAsUpdate(doc, sv) });
      };
      await push(a, () => writeMetaText(a, 'lead', 'Air laut pasang merendam ratusan rumah.'));
      await push(b, () => writeMetaText(b, 'lead', 'Kemarin, air laut pasang merendam rumah.'));
      await core.services.docs.close({ storyId: ids.withTail });

      const reopened = new Y.Doc();
      Y.applyUpdate(reopened, (await core.services.docs.open({ storyId: ids.withTail })).state);
      expect(readMeta(reopened).lead).toBe('Kemarin, air laut pasang merendam ratusan rumah.');
      expect(readMeta(reopened).headline).toBe('Banjir Rob');
      // The damaged story still says so instead of being "repaired" into something else.
      await expect(core.services.docs.push({ storyId: ids.damaged, update: Y.encodeStateAsUpdate(new Y.Doc()) })).rejects.toThrow();
    } finally {
      core.close();
    }
  });

  it('rolls back every story when the step fails part way', () => {
    const { ids } = buildOldStore();
    const db = new Database(file);
    // A trigger that fails the append for the second story: nothing of the first may remain.
    db.exec(`CREATE TRIGGER fail_second BEFORE INSERT ON doc_updates
      WHEN NEW.story_row_id = (SELECT row_id FROM stories WHERE id = '${ids.withTail}')
      BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/disk full/);
    const raw = new Database(file);
    expect(raw.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(1);
    expect(logRows(raw, ids.compacted)).toEqual([]);
    expect(getMetaMap(storedDoc(raw, ids.compacted)).get('headline')).toBe('Harga Beras Naik');
    raw.close();
  });
});
