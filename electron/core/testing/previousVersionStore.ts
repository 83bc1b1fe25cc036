import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { readMeta } from '../../../shared/doc/storyDoc';
import { DocLog } from '../docs/docLog';

/**
 * Writes a store the way the first released version did, with SQL against the schema of
 * migration 0001 alone (today's StoryDocs and StoryRepository read columns that later
 * migrations add, so they cannot write such a store). Like that version: a push to a story
 * nobody has open is folded into the snapshot at once; a push to an open story is appended
 * to the log after it, and the projection is left stale for the next start to refresh.
 */
export class PreviousVersionStore {
  private readonly log: DocLog;
  private readonly opened = new Set<string>();

  constructor(private readonly db: Database.Database) {
    this.log = new DocLog(db);
  }

  /** Inserts a story row; `n` makes a stable uuid. */
  create(n: number, now = 1_000 + n): string {
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    this.db.prepare('INSERT INTO stories (id, created_at, updated_at) VALUES (?, ?, ?)').run(id, now, now);
    return id;
  }

  /** Marks the story as open in a window: later pushes stay in the log's tail. */
  open(id: string): void {
    this.opened.add(id);
  }

  push(id: string, update: Uint8Array): void {
    const rowId = this.db.prepare('SELECT row_id FROM stories WHERE id = ?').pluck().get(id) as number;
    const stored = this.log.load(rowId);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
    Y.applyUpdate(doc, update);
    const seq = stored.lastSeq + 1;
    const now = 2_000 + seq;
    this.db.transaction(() => {
      this.log.append(rowId, seq, update, now);
      this.db
        .prepare('UPDATE stories SET updated_at = ?, headline = ?, dirty = 1, index_stale = 1 WHERE row_id = ?')
        .run(now, readMeta(doc).headline, rowId);
    })();
    if (!this.opened.has(id)) this.log.compact(rowId, Y.encodeStateAsUpdate(doc), seq, now);
    doc.destroy();
  }
}
