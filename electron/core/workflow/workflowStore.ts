import type Database from 'better-sqlite3';
import type { StoryReview } from '../../../shared/domain/review';
import type { CommentOp, StoryReviewResponse, WorkflowCommandRequest } from '../../../shared/server-api/workflow';

export type OutboxItem = { seq: number; id: string; storyId: string } & ({ kind: 'command'; body: WorkflowCommandRequest } | { kind: 'comment'; body: CommentOp });

export type Refusal = NonNullable<StoryReview['lastRefusal']>;

export interface CachedReview {
  review: StoryReviewResponse | null;
  createdBy: string | null;
  refusal: Refusal | null;
}

/** SQL of the workflow tables (core migration 20261201_0007_workflow). No rules here. */
export class WorkflowStore {
  private readonly stmts;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      enqueue: db.prepare('INSERT INTO workflow_outbox (id, story_id, kind, body_json, created_at) VALUES (?, ?, ?, ?, ?)'),
      outbox: db.prepare('SELECT seq, id, story_id, kind, body_json FROM workflow_outbox ORDER BY seq LIMIT ?'),
      outboxOf: db.prepare('SELECT seq, id, story_id, kind, body_json FROM workflow_outbox WHERE story_id = ? ORDER BY seq'),
      remove: db.prepare('DELETE FROM workflow_outbox WHERE id = ?'),
      review: db.prepare('SELECT review_json, created_by, refusal_json FROM story_reviews WHERE story_id = ?'),
      saveReview: db.prepare(
        `INSERT INTO story_reviews (story_id, review_json, stale, fetched_at) VALUES (?, ?, 0, ?)
         ON CONFLICT (story_id) DO UPDATE SET review_json = excluded.review_json, stale = 0, fetched_at = excluded.fetched_at`,
      ),
      markStale: db.prepare(
        `INSERT INTO story_reviews (story_id, created_by, stale) VALUES (?, ?, 1)
         ON CONFLICT (story_id) DO UPDATE SET created_by = coalesce(excluded.created_by, story_reviews.created_by), stale = 1`,
      ),
      clearStale: db.prepare('UPDATE story_reviews SET stale = 0 WHERE story_id = ?'),
      stale: db.prepare('SELECT story_id FROM story_reviews WHERE stale = 1 LIMIT ?').pluck(),
      setRefusal: db.prepare(
        `INSERT INTO story_reviews (story_id, refusal_json) VALUES (?, ?)
         ON CONFLICT (story_id) DO UPDATE SET refusal_json = excluded.refusal_json`,
      ),
      listStatus: db.prepare('UPDATE stories SET status = ? WHERE id = ? AND status <> ?'),
      versionState: db.prepare('SELECT state FROM story_version_states WHERE version_id = ? AND story_id = ?').pluck(),
      hasVersionState: db.prepare('SELECT 1 FROM story_version_states WHERE version_id = ? AND story_id = ?').pluck(),
      saveVersionState: db.prepare('INSERT OR IGNORE INTO story_version_states (version_id, story_id, state) VALUES (?, ?, ?)'),
    };
  }

  enqueue(item: Omit<OutboxItem, 'seq'>, now: number): void {
    this.stmts.enqueue.run(item.id, item.storyId, item.kind, JSON.stringify(item.body), now);
  }

  outbox(limit: number): OutboxItem[] {
    return (this.stmts.outbox.all(limit) as OutboxRow[]).map(toItem);
  }

  outboxOf(storyId: string): OutboxItem[] {
    return (this.stmts.outboxOf.all(storyId) as OutboxRow[]).map(toItem);
  }

  remove(id: string): void {
    this.stmts.remove.run(id);
  }

  read(storyId: string): CachedReview {
    const row = this.stmts.review.get(storyId) as { review_json: string | null; created_by: string | null; refusal_json: string | null } | undefined;
    return {
      review: row?.review_json ? (JSON.parse(row.review_json) as StoryReviewResponse) : null,
      createdBy: row?.created_by ?? null,
      refusal: row?.refusal_json ? (JSON.parse(row.refusal_json) as Refusal) : null,
    };
  }

  /** Keeps the server's review and makes the list's status follow it; true when the list's status changed. */
  saveReview(review: StoryReviewResponse, now: number): boolean {
    return this.db.transaction(() => {
      this.stmts.saveReview.run(review.storyId, JSON.stringify(review), now);
      return this.stmts.listStatus.run(review.status, review.storyId, review.status).changes > 0;
    })();
  }

  /** The changes feed listed the story: its review is fetched again after the exchange. */
  markStale(storyId: string, createdBy: string | null): void {
    this.stmts.markStale.run(storyId, createdBy);
  }

  clearStale(storyId: string): void {
    this.stmts.clearStale.run(storyId);
  }

  staleStories(limit: number): string[] {
    return this.stmts.stale.all(limit) as string[];
  }

  setRefusal(storyId: string, refusal: Refusal | null): void {
    this.stmts.setRefusal.run(storyId, refusal ? JSON.stringify(refusal) : null);
  }

  /** The list's status, from the feed (before the review itself is fetched). */
  setListStatus(storyId: string, status: string): boolean {
    return this.stmts.listStatus.run(status, storyId, status).changes > 0;
  }

  versionState(storyId: string, versionId: string): Uint8Array | null {
    const state = this.stmts.versionState.get(versionId, storyId) as Buffer | undefined;
    return state ? new Uint8Array(state) : null;
  }

  /** Whether the version's document is kept (without reading it). */
  hasVersionState(storyId: string, versionId: string): boolean {
    return this.stmts.hasVersionState.get(versionId, storyId) !== undefined;
  }

  saveVersionState(storyId: string, versionId: string, state: Uint8Array): void {
    this.stmts.saveVersionState.run(versionId, storyId, state);
  }
}

interface OutboxRow {
  seq: number;
  id: string;
  story_id: string;
  kind: 'command' | 'comment';
  body_json: string;
}

function toItem(row: OutboxRow): OutboxItem {
  return { seq: row.seq, id: row.id, storyId: row.story_id, kind: row.kind, body: JSON.parse(row.body_json) } as OutboxItem;
}
