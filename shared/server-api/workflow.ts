import { z } from 'zod';
import { STORY_STATUSES, type StoryStatus } from '../domain/story';
import { WORKFLOW_COMMANDS } from '../workflow/rules';
import { idSchema } from './schemas';

/**
 * The review workflow on the wire (issue 9). Commands and comment operations a client made
 * (offline too) travel in `POST /sync` beside the story updates (see SyncRequest), each with an
 * id the client made: the server applies an id once, and answers a repeated id with the
 * first answer. The server handles a request's story updates first, then its commands (so a
 * submit is checked against the text sent with it), then its comment operations.
 */

export const MAX_COMMANDS_PER_SYNC = 200;
export const MAX_COMMENT_OPS_PER_SYNC = 500;
export const REVISION_NOTE_MAX = 4000;
export const COMMENT_BODY_MAX = 4000;

export const workflowCommandSchema = z
  .object({
    id: idSchema,
    storyId: idSchema,
    command: z.enum(WORKFLOW_COMMANDS),
    /** Required (non-empty) for request_revision: what the reporter must change. */
    note: z.string().trim().max(REVISION_NOTE_MAX).optional(),
    /** When the user gave the command (ms since the epoch), for the history. */
    issuedAt: z.number().int().min(0),
  })
  .strict()
  .refine((c) => c.command !== 'request_revision' || (c.note !== undefined && c.note.length > 0), 'request_revision needs a note');
export type WorkflowCommandRequest = z.infer<typeof workflowCommandSchema>;

export const commentOpSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('post'),
      /** The comment's id (also the operation's id). */
      id: idSchema,
      storyId: idSchema,
      /** A new thread's id is its first comment's id; replies name the thread. */
      threadId: idSchema,
      body: z.string().trim().min(1).max(COMMENT_BODY_MAX),
      /** The text the thread was anchored to when it was opened (shown when the anchor is gone). */
      quote: z.string().max(2000),
      createdAt: z.number().int().min(0),
    })
    .strict(),
  z
    .object({
      kind: z.enum(['resolve', 'reopen']),
      id: idSchema,
      storyId: idSchema,
      threadId: idSchema,
      createdAt: z.number().int().min(0),
    })
    .strict(),
]);
export type CommentOp = z.infer<typeof commentOpSchema>;

export type CommandRefusal =
  /** Not this user's to do (role, ownership, assignment): HTTP 403 on its own endpoint. */
  | 'forbidden'
  /** Not from the story's current status (it changed meanwhile): HTTP 409. */
  | 'wrong_status'
  /** Submit blocked by the pre-submit checklist (see `failures`). */
  | 'checklist_failed'
  | 'not_found';

export type CommandResult =
  | { id: string; ok: true; status: StoryStatus }
  | { id: string; ok: false; error: { code: CommandRefusal; message: string; failures?: string[] }; status: StoryStatus | null };

export type CommentOpResult = { id: string; ok: true } | { id: string; ok: false; error: { code: 'forbidden' | 'not_found' | 'conflict'; message: string } };

export const VERSION_KINDS = ['filed', 'edited', 'published'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

export interface VersionSummary {
  id: string;
  storyId: string;
  kind: VersionKind;
  createdBy: string;
  createdAt: number;
}

export interface CommentRecord {
  id: string;
  storyId: string;
  threadId: string;
  authorId: string;
  body: string;
  quote: string;
  createdAt: number;
}

export interface ThreadState {
  threadId: string;
  resolved: boolean;
  resolvedBy: string | null;
  resolvedAt: number | null;
}

/**
 * Who edited a story's text on the server, per user: the times the server stored the first and
 * the last of their updates (ms since the epoch). Whoever's `lastAt` is after a version's
 * `createdAt` changed the story since that version (an update sent with the command that made
 * the version is stored at the same instant, so it is part of the version, not after it).
 */
export interface StoryEditor {
  userId: string;
  firstAt: number;
  lastAt: number;
}

/** `GET /stories/:id/review`: everything about a story's review the server decides. */
export interface StoryReviewResponse {
  storyId: string;
  status: StoryStatus;
  /** The last revision request's note while the story is revision_requested (else null). */
  revisionNote: string | null;
  revisionNoteBy: string | null;
  comments: CommentRecord[];
  threads: ThreadState[];
  versions: VersionSummary[];
  /** Everyone whose edits the server stored, with when (see StoryEditor). */
  editors: StoryEditor[];
}

/** Reviews asked for in one `POST /reviews` at most (core asks for at most this many per exchange). */
export const MAX_REVIEWS_PER_REQUEST = 200;

/**
 * `POST /reviews`: the reviews of several stories in one round trip (a client back online to
 * a busy desk would otherwise wait for one GET /stories/:id/review per changed story).
 */
export const reviewsRequestSchema = z.object({ ids: z.array(idSchema).min(1).max(MAX_REVIEWS_PER_REQUEST) }).strict();
export type ReviewsRequest = z.infer<typeof reviewsRequestSchema>;

/** One story's answer in `POST /reviews`: its review exactly as GET /stories/:id/review answers it, or why not. */
export type ReviewResult =
  | { id: string; ok: true; review: StoryReviewResponse }
  | { id: string; ok: false; error: { code: 'not_found' | 'forbidden'; message: string } };

/** `POST /reviews`: one answer per asked id, in the order asked (a repeated id is answered each time). */
export interface ReviewsResponse {
  reviews: ReviewResult[];
}

/** `GET /stories/:id/versions/:versionId`: the story's document as it was then. */
export interface VersionResponse {
  version: VersionSummary;
  /** The whole document as one Yjs update (base64). */
  state: string;
}

export const storyStatusSchema = z.enum(STORY_STATUSES);

/**
 * Version documents asked for in one `POST /versions` at most: each is a whole story document,
 * so a batch stays a few MB at worst (core asks for the new versions its reviews name).
 */
export const MAX_VERSIONS_PER_REQUEST = 50;

export const versionsRequestSchema = z
  .object({ versions: z.array(z.object({ storyId: idSchema, versionId: idSchema }).strict()).min(1).max(MAX_VERSIONS_PER_REQUEST) })
  .strict();
export type VersionsRequest = z.infer<typeof versionsRequestSchema>;

/** One asked version in `POST /versions`: what GET /stories/:id/versions/:versionId answers, or why not. */
export type VersionResult =
  | ({ storyId: string; versionId: string; ok: true } & VersionResponse)
  | { storyId: string; versionId: string; ok: false; error: { code: 'not_found' | 'forbidden'; message: string } };

/** `POST /versions`: one answer per asked version, in the order asked. */
export interface VersionsResponse {
  versions: VersionResult[];
}
