import type Database from 'better-sqlite3';
import type { StorySyncState } from '../../../shared/domain/newsroom';
import type { StoryStatus, StorySummary } from '../../../shared/domain/story';
import { transitionOf, type WorkflowCommand } from '../../../shared/workflow/rules';

interface StoryRow {
  row_id: number;
  id: string;
  headline: string;
  status: string;
  created_at: number;
  updated_at: number;
  word_count: number;
  deleted_at: number | null;
  damaged_at: number | null;
  rubrik_id: string | null;
  redaktur_id: string | null;
  penulis_ids: string;
  conflict_of: string | null;
  sync_refused: string | null;
  has_acked: number;
  dirty: number;
  /** JSON array of the commands waiting in the workflow outbox for the story, oldest first. */
  queued_commands: string;
}

export interface StoryRef {
  rowId: number;
  id: string;
  /** Its stored document does not load: never write it (see markDamaged). */
  damaged: boolean;
}

export interface ListQuery {
  status?: StoryStatus | undefined;
  trash?: boolean | undefined;
  limit: number;
  offset: number;
}

const SUMMARY_COLUMNS =
  's.row_id, s.id, s.headline, s.status, s.created_at, s.updated_at, s.word_count, s.deleted_at, s.damaged_at, ' +
  's.rubrik_id, s.redaktur_id, s.penulis_ids, s.conflict_of, s.sync_refused, s.acked_sv IS NOT NULL AS has_acked, s.dirty, ' +
  "(SELECT json_group_array(q.command) FROM (SELECT json_extract(o.body_json, '$.command') AS command FROM workflow_outbox o " +
  "WHERE o.story_id = s.id AND o.kind = 'command' ORDER BY o.seq) q) AS queued_commands";

/**
 * Where a story stands in sync, read from the columns the sync engine keeps: a salinan
 * konflik is `conflict`; a story the server never acknowledged (or refused: its edits live
 * on in its copy) is `local`; otherwise `pending` while it has unacknowledged changes.
 */
function syncStateOf(row: StoryRow): StorySyncState {
  if (row.conflict_of !== null) return 'conflict';
  if (!row.has_acked || row.sync_refused !== null) return 'local';
  return row.dirty ? 'pending' : 'synced';
}

function parseIds(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The status the queued commands lead to, applied in order as the server would; undefined when it is the server's. */
function pendingStatusOf(row: StoryRow): StoryStatus | undefined {
  const status = row.status as StoryStatus;
  let pending = status;
  for (const command of parseIds(row.queued_commands) as WorkflowCommand[]) pending = transitionOf(command, pending) ?? pending;
  return pending === status ? undefined : pending;
}

function toSummary(row: StoryRow): StorySummary {
  const pendingStatus = pendingStatusOf(row);
  return {
    id: row.id,
    headline: row.headline,
    status: row.status as StoryStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    wordCount: row.word_count,
    deletedAt: row.deleted_at,
    damaged: row.damaged_at !== null,
    rubrikId: row.rubrik_id,
    redakturId: row.redaktur_id,
    penulisIds: parseIds(row.penulis_ids),
    syncState: syncStateOf(row),
    conflictOf: row.conflict_of,
    ...(pendingStatus ? { pendingStatus } : {}),
  };
}

/** SQL access to the stories projection and its full-text index. No business rules here. */
export class StoryRepository {
  private readonly stmts;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      insert: db.prepare('INSERT INTO stories (id, created_at, updated_at) VALUES (?, ?, ?)'),
      byId: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE s.id = ?`),
      byRowId: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE s.row_id = ?`),
      setDeleted: db.prepare('UPDATE stories SET deleted_at = ? WHERE row_id = ?'),
      touch: db.prepare('UPDATE stories SET updated_at = ?, headline = ?, dirty = 1, local_rev = local_rev + 1, index_stale = 1 WHERE row_id = ?'),
      touchRemote: db.prepare('UPDATE stories SET updated_at = ?, headline = ?, index_stale = 1 WHERE row_id = ?'),
      writeProjection: db.prepare(
        'UPDATE stories SET headline = ?, word_count = ?, rubrik_id = ?, redaktur_id = ?, penulis_ids = ?, index_stale = 0 WHERE row_id = ?',
      ),
      ftsDelete: db.prepare('DELETE FROM stories_fts WHERE rowid = ?'),
      ftsInsert: db.prepare('INSERT INTO stories_fts (rowid, headline, body) VALUES (?, ?, ?)'),
      ftsBody: db.prepare('SELECT body FROM stories_fts WHERE rowid = ?').pluck(),
      // A damaged story stays stale: its index is rebuilt only once its document loads again.
      stale: db.prepare('SELECT row_id, id FROM stories WHERE index_stale = 1 AND damaged_at IS NULL'),
      remove: db.prepare('DELETE FROM stories WHERE row_id = ?'),
      markDamaged: db.prepare('UPDATE stories SET damaged_at = ?, damage_reason = ? WHERE row_id = ? AND damaged_at IS NULL'),
    };
  }

  insert(id: string, now: number): StorySummary {
    const { lastInsertRowid } = this.stmts.insert.run(id, now, now);
    return this.summaryByRowId(Number(lastInsertRowid))!;
  }

  refById(id: string): StoryRef | undefined {
    const row = this.stmts.byId.get(id) as StoryRow | undefined;
    return row && { rowId: row.row_id, id: row.id, damaged: row.damaged_at !== null };
  }

  summaryById(id: string): StorySummary | undefined {
    const row = this.stmts.byId.get(id) as StoryRow | undefined;
    return row && toSummary(row);
  }

  summaryByRowId(rowId: number): StorySummary | undefined {
    const row = this.stmts.byRowId.get(rowId) as StoryRow | undefined;
    return row && toSummary(row);
  }

  list(query: ListQuery): { items: StorySummary[]; total: number } {
    const where = [query.trash ? 's.deleted_at IS NOT NULL' : 's.deleted_at IS NULL'];
    const params: unknown[] = [];
    if (query.status) {
      where.push('s.status = ?');
      params.push(query.status);
    }
    const clause = where.join(' AND ');
    // Built from fixed fragments only; user values are bound parameters.
    const rows = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE ${clause} ORDER BY s.updated_at DESC, s.row_id DESC LIMIT ? OFFSET ?`)
      .all(...params, query.limit, query.offset) as StoryRow[];
    const total = this.db.prepare(`SELECT count(*) FROM stories s WHERE ${clause}`).pluck().get(...params) as number;
    return { items: rows.map(toSummary), total };
  }

  /** Deletes the story's row; its log and snapshot go with it (ON DELETE CASCADE), and its index row. */
  remove(rowId: number): void {
    this.db.transaction(() => {
      this.stmts.ftsDelete.run(rowId);
      this.stmts.remove.run(rowId);
    })();
  }

  setDeleted(rowId: number, deletedAt: number | null): void {
    this.stmts.setDeleted.run(deletedAt, rowId);
  }

  /** After a local document update: newer, maybe retitled, not yet synced, index to refresh. */
  touch(rowId: number, headline: string, now: number): void {
    this.stmts.touch.run(now, headline, rowId);
  }

  /** After an update from the server: newer, maybe retitled, index to refresh; not a local change. */
  touchRemote(rowId: number, headline: string, now: number): void {
    this.stmts.touchRemote.run(now, headline, rowId);
  }

  /** Writes the document-derived projection and the FTS row; the caller wraps it in a transaction. */
  writeProjection(rowId: number, p: { headline: string; wordCount: number; bodyText: string; rubrikId: string | null; redakturId: string | null; penulisIds: string[] }): void {
    const { headline, wordCount, bodyText } = p;
    this.stmts.writeProjection.run(headline, wordCount, p.rubrikId, p.redakturId, JSON.stringify(p.penulisIds), rowId);
    this.stmts.ftsDelete.run(rowId);
    this.stmts.ftsInsert.run(rowId, headline, bodyText);
  }

  /** Stories whose word count / FTS row lag behind their document (healthy ones only). */
  staleRefs(): StoryRef[] {
    return (this.stmts.stale.all() as Array<{ row_id: number; id: string }>).map((r) => ({ rowId: r.row_id, id: r.id, damaged: false }));
  }

  /**
   * Records that the story's stored document does not load. Only this flag is written: the
   * document's rows stay exactly as they are, for recovery. The first reason found is kept.
   */
  markDamaged(rowId: number, reason: string, now: number): void {
    this.stmts.markDamaged.run(now, reason, rowId);
  }

  /**
   * `match` must come from toFtsQuery: it is an FTS5 expression, not user text.
   * Newest first, like the list: ranking every match with bm25 cost tens of ms when a
   * common word matched most of 10,000 stories. The id set comes from FTS and is walked in
   * updated_at order, so only one page of rows is ever read.
   */
  search(match: string, status: StoryStatus | undefined, limit: number): Array<StorySummary & { headline: string; body: string }> {
    const page = this.db
      .prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM stories s
         WHERE s.row_id IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?)
           AND s.deleted_at IS NULL ${status ? 'AND s.status = ?' : ''}
         ORDER BY s.updated_at DESC, s.row_id DESC LIMIT ?`,
      )
      .all(...(status ? [match, status, limit] : [match, limit])) as StoryRow[];
    return page.map((r) => ({ ...toSummary(r), body: (this.stmts.ftsBody.get(r.row_id) as string | undefined) ?? '' }));
  }
}
