import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import type { StoryChange, SyncRequest, SyncResponse } from '../../../shared/server-api/sync';
import {
  MAX_COMMANDS_PER_SYNC,
  MAX_COMMENT_OPS_PER_SYNC,
  MAX_REVIEWS_PER_REQUEST,
  MAX_VERSIONS_PER_REQUEST,
  type CommandResult,
  type CommentOpResult,
  type ReviewResult,
  type ReviewsRequest,
  type ReviewsResponse,
  type StoryReviewResponse,
  type VersionResponse,
  type VersionsRequest,
  type VersionsResponse,
} from '../../../shared/server-api/workflow';
import type { StoryDocs } from '../docs/storyDocs';
import { ServerCallError } from '../sync/serverHttp';
import type { WorkflowStore } from './workflowStore';

/** A call to the server with the engine's session, deadline and stop signal. */
export type ServerCall = <T>(request: { method: 'GET' | 'POST'; path: string; body?: unknown }) => Promise<T>;

/** What the sync engine tells the workflow and lets it do during an exchange (syncEngine.ts). */
export interface WorkflowSyncHooks {
  /** A page of the changes feed: these stories changed on the server (status, comments, text). */
  onFeed(stories: readonly StoryChange[]): void;
  /** After the pass of POST /sync (every local change pushed): the outbox, then fresh reviews. */
  afterPass(call: ServerCall): Promise<void>;
}

export interface WorkflowSyncOptions {
  db: Database.Database;
  store: WorkflowStore;
  docs: StoryDocs;
  now: () => number;
  onReviewChanged(storyId: string): void;
  onInternalError(what: string, error: unknown): void;
}

const EMPTY_STATE_VECTOR = Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64');
/** Reviews fetched per exchange at most, in one request (the rest wait for the next exchange). */
const REVIEWS_PER_EXCHANGE = MAX_REVIEWS_PER_REQUEST;

/** POST /reviews is unknown to the server (404 from its router: the route itself never answers 404); so is POST /versions then. */
function isMissingRoute(error: unknown): boolean {
  return error instanceof ServerCallError && error.kind === 'server' && error.status === 404;
}

/**
 * The workflow's part of an exchange: stories the server refused as read-only go back to the
 * server's state (their local edits are already in a salinan konflik), the outbox goes in
 * POST /sync (each item removed only once answered; a refused command becomes the story's
 * lastRefusal), then the reviews of the stories the feed listed or the outbox touched are
 * fetched and cached, with their new versions' documents for offline diffs.
 */
export function createWorkflowSync(options: WorkflowSyncOptions): WorkflowSyncHooks {
  const { db, store, docs } = options;
  const readOnlyRefused = db.prepare("SELECT id FROM stories WHERE sync_refused = 'read_only' AND conflict_of IS NULL").pluck();
  const restored = db.prepare('UPDATE stories SET acked_sv = ?, dirty = 0, sync_refused = NULL WHERE id = ?');

  async function restoreReadOnly(call: ServerCall): Promise<void> {
    for (const id of readOnlyRefused.all() as string[]) {
      const answer = await call<SyncResponse>({ method: 'POST', path: 'sync', body: { stories: [{ id, stateVector: EMPTY_STATE_VECTOR }] } satisfies SyncRequest });
      const [result] = answer.stories;
      if (!result?.ok) continue;
      const state = new Uint8Array(Buffer.from(result.update, 'base64'));
      db.transaction(() => {
        docs.replaceWith(id, state);
        restored.run(Buffer.from(result.stateVector, 'base64'), id);
      })();
      docs.announce(id);
      store.markStale(id, null);
    }
  }

  // Text typed before a command must reach the server before the command: a redaktur's edit
  // followed by "request revision" would otherwise arrive after the status moved and be
  // refused as read-only. A story edited while this exchange ran is still dirty here; its
  // commands (and every later one of that story, keeping their order) wait for the next
  // exchange, which the engine schedules because the story has changes to push.
  const hasUnpushedText = db
    .prepare('SELECT 1 FROM stories WHERE id = ? AND dirty = 1 AND sync_refused IS NULL AND damaged_at IS NULL')
    .pluck();

  async function sendOutbox(call: ServerCall): Promise<Set<string>> {
    const touched = new Set<string>();
    for (;;) {
      const held = new Set<string>();
      const items = store.outbox(Math.min(MAX_COMMANDS_PER_SYNC, MAX_COMMENT_OPS_PER_SYNC)).filter((item) => {
        if (item.kind !== 'command') return true;
        if (held.has(item.storyId) || hasUnpushedText.get(item.storyId) !== undefined) {
          held.add(item.storyId);
          return false;
        }
        return true;
      });
      if (items.length === 0) return touched;
      const commands = items.flatMap((i) => (i.kind === 'command' ? [i.body] : []));
      const comments = items.flatMap((i) => (i.kind === 'comment' ? [i.body] : []));
      const answer = await call<SyncResponse>({
        method: 'POST',
        path: 'sync',
        body: { stories: [], ...(commands.length ? { commands } : {}), ...(comments.length ? { comments } : {}) } satisfies SyncRequest,
      });
      const commandResults = new Map<string, CommandResult>((answer.commands ?? []).map((r) => [r.id, r]));
      const commentResults = new Map<string, CommentOpResult>((answer.comments ?? []).map((r) => [r.id, r]));
      let answered = 0;
      for (const item of items) {
        const result = item.kind === 'command' ? commandResults.get(item.id) : commentResults.get(item.id);
        if (!result) continue; // not answered: sent again next time
        answered++;
        db.transaction(() => {
          store.remove(item.id);
          if (item.kind === 'command' && !result.ok) {
            const error = (result as Extract<CommandResult, { ok: false }>).error;
            store.setRefusal(item.storyId, { commandId: item.id, command: item.body.command, code: error.code, message: error.message, failures: error.failures ?? [] });
          } else if (item.kind === 'comment' && !result.ok) {
            options.onInternalError(`workflow.comment ${item.id}`, new Error(`the server refused the comment operation: ${result.error.code} ${result.error.message}`));
          }
        })();
        touched.add(item.storyId);
        // Answered: the list row drops the pending status (the review refresh brings the server's).
        if (item.kind === 'command') docs.announce(item.storyId);
      }
      if (answered === 0) return touched; // the server answered none of them: try again next exchange
    }
  }

  /**
   * The reviews of `storyIds` (at most MAX_REVIEWS_PER_REQUEST) in one POST /reviews, then the
   * documents of the new versions they name in POST /versions (MAX_VERSIONS_PER_REQUEST a
   * request), so a busy desk costs a few round trips, not one or two per story. A story the
   * server refuses (not, or no longer, this user's; not on the server yet) has nothing to show
   * and stops being stale; a review is kept once every version it names is kept (a version
   * refused meanwhile leaves its story stale, asked again next exchange). A failed request
   * throws with the stories not yet kept still stale, for the next exchange.
   */
  async function refreshReviews(call: ServerCall, storyIds: readonly string[]): Promise<void> {
    let results: ReviewResult[];
    try {
      results = (await call<ReviewsResponse>({ method: 'POST', path: 'reviews', body: { ids: [...storyIds] } satisfies ReviewsRequest })).reviews;
    } catch (error) {
      // A server from before POST /reviews: one GET per story, as then.
      if (!isMissingRoute(error)) throw error;
      for (const id of storyIds) await refreshReviewAlone(call, id);
      return;
    }
    const asked = new Set(storyIds);
    const reviews: StoryReviewResponse[] = [];
    for (const result of results) {
      if (!asked.delete(result.id)) continue; // not asked, or a repeated answer
      if (result.ok) reviews.push(result.review);
      else store.clearStale(result.id);
    }
    const missing = reviews.flatMap((r) => r.versions.filter((v) => !store.hasVersionState(r.storyId, v.id)).map((v) => ({ storyId: r.storyId, versionId: v.id })));
    for (let from = 0; from < missing.length; from += MAX_VERSIONS_PER_REQUEST) {
      const batch = missing.slice(from, from + MAX_VERSIONS_PER_REQUEST);
      const answer = await call<VersionsResponse>({ method: 'POST', path: 'versions', body: { versions: batch } satisfies VersionsRequest });
      const wanted = new Set(batch.map((v) => `${v.storyId}/${v.versionId}`));
      for (const v of answer.versions) {
        if (v.ok && wanted.has(`${v.storyId}/${v.versionId}`)) store.saveVersionState(v.storyId, v.versionId, new Uint8Array(Buffer.from(v.state, 'base64')));
      }
    }
    for (const review of reviews) {
      if (review.versions.every((v) => store.hasVersionState(review.storyId, v.id))) saveReview(review);
    }
  }

  async function refreshReviewAlone(call: ServerCall, storyId: string): Promise<void> {
    let review: StoryReviewResponse;
    try {
      review = await call<StoryReviewResponse>({ method: 'GET', path: `stories/${storyId}/review` });
    } catch (error) {
      // Not (or no longer) this user's story, or not on the server yet: nothing to show.
      if (error instanceof ServerCallError && error.kind === 'server' && (error.status === 403 || error.status === 404)) {
        store.clearStale(storyId);
        return;
      }
      throw error;
    }
    await keepReview(call, review);
  }

  /** One review with its versions fetched one by one (a server from before POST /reviews). */
  async function keepReview(call: ServerCall, review: StoryReviewResponse): Promise<void> {
    const storyId = review.storyId;
    for (const version of review.versions) {
      if (store.hasVersionState(storyId, version.id)) continue;
      const fetched = await call<VersionResponse>({ method: 'GET', path: `stories/${storyId}/versions/${version.id}` });
      store.saveVersionState(storyId, version.id, new Uint8Array(Buffer.from(fetched.state, 'base64')));
    }
    saveReview(review);
  }

  function saveReview(review: StoryReviewResponse): void {
    const listChanged = store.saveReview(review, options.now());
    if (listChanged) docs.announce(review.storyId);
    options.onReviewChanged(review.storyId);
  }

  return {
    onFeed(stories) {
      for (const s of stories) {
        try {
          store.markStale(s.id, s.createdBy);
          if (store.setListStatus(s.id, s.status)) docs.announce(s.id);
        } catch (error) {
          options.onInternalError(`workflow.feed ${s.id}`, error);
        }
      }
    },
    async afterPass(call) {
      await restoreReadOnly(call);
      const touched = await sendOutbox(call);
      for (const id of touched) store.markStale(id, null);
      for (const id of touched) options.onReviewChanged(id);
      const stale = store.staleStories(REVIEWS_PER_EXCHANGE);
      if (stale.length > 0) await refreshReviews(call, stale);
    },
  };
}
