import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { upgradeLegacyMeta } from '../../../../shared/doc/metaText';
import type { Migration } from './types';

/**
 * Headline, subheadline, kicker and lead became collaborative texts (root Y.Texts named
 * `meta.<field>`, see shared/doc/storyDoc.ts). Stories written before hold them as plain
 * strings in the `meta` map; this rewrites each such story into the new shape.
 *
 * - The change is one more Yjs update appended to the story's log (seq = last + 1), made by
 *   upgradeLegacyMeta: what every reader sees stays the same, word for word, and nothing
 *   already stored is rewritten (the snapshot and earlier updates keep their bytes).
 * - Stories whose stored bytes do not load, or load with missing pieces, are left exactly
 *   as they are (opening one reports it; readMeta still reads old strings).
 * - Stories without old strings get nothing, so running this on an upgraded store changes
 *   nothing (and the migration table runs it once anyway). Everything happens inside the
 *   migration transaction: all stories are upgraded, or none.
 * - Trashed stories are upgraded too (they can be restored). The list's headline and
 *   `updated_at` stay as they are: nobody edited the story. `dirty` is set, since the
 *   store now holds an update no server has seen.
 *
 * upgradeLegacyMeta is shared with the editor (which upgrades a field on its first edit):
 * whoever changes it changes this step too, so it must keep turning an old-shape document
 * into the same result (its tests pin that).
 */
export const metaText: Migration = {
  id: '20261201_0002_meta_text',
  sql: `
-- Data only (see run): moves the old plain-string prose fields (headline, subheadline,
-- kicker, lead) of every story's meta map into root Y.Texts named meta.<field>, appending
-- one Yjs update per changed story to doc_updates. Damaged documents are left untouched.
SELECT 1;
`,
  run: upgradeStoredMeta,
};

export interface MetaUpgradeResult {
  upgraded: number;
  unreadable: number;
}

/** Exported for tests; the migration runs it inside its transaction. */
export function upgradeStoredMeta(db: Database.Database, now: () => number = Date.now): MetaUpgradeResult {
  const rowIds = db.prepare('SELECT row_id FROM stories ORDER BY row_id').pluck().all() as number[];
  const snapshotOf = db.prepare('SELECT state, up_to_seq FROM doc_snapshots WHERE story_row_id = ?');
  const tailOf = db.prepare('SELECT seq, data FROM doc_updates WHERE story_row_id = ? AND seq > ? ORDER BY seq');
  const append = db.prepare('INSERT INTO doc_updates (story_row_id, seq, data, created_at) VALUES (?, ?, ?, ?)');
  const markDirty = db.prepare('UPDATE stories SET dirty = 1 WHERE row_id = ?');
  const result: MetaUpgradeResult = { upgraded: 0, unreadable: 0 };

  for (const rowId of rowIds) {
    const snap = snapshotOf.get(rowId) as { state: Buffer; up_to_seq: number } | undefined;
    const tail = tailOf.all(rowId, snap?.up_to_seq ?? 0) as { seq: number; data: Buffer }[];
    if (!snap && tail.length === 0) continue; // never edited: nothing stored, nothing to move
    const doc = new Y.Doc();
    try {
      if (!loads(doc, snap?.state, tail)) {
        result.unreadable++;
        continue;
      }
      const update = upgradeLegacyMeta(doc);
      if (!update) continue;
      const lastSeq = tail.length > 0 ? tail[tail.length - 1]!.seq : snap!.up_to_seq;
      append.run(rowId, lastSeq + 1, update, now());
      markDirty.run(rowId);
      result.upgraded++;
    } finally {
      doc.destroy();
    }
  }
  return result;
}

/** Applies the stored bytes; false when they throw or leave structs waiting for pieces that are not there. */
function loads(doc: Y.Doc, snapshot: Buffer | undefined, tail: { data: Buffer }[]): boolean {
  try {
    doc.transact(() => {
      if (snapshot) Y.applyUpdate(doc, new Uint8Array(snapshot));
      for (const u of tail) Y.applyUpdate(doc, new Uint8Array(u.data));
    });
  } catch {
    return false;
  }
  return doc.store.pendingStructs === null && doc.store.pendingDs === null;
}
