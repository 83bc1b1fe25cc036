import { z } from 'zod';
import type { StoryStatus } from '../domain/story';
import { idSchema } from './schemas';
import {
  MAX_COMMANDS_PER_SYNC,
  MAX_COMMENT_OPS_PER_SYNC,
  commentOpSchema,
  workflowCommandSchema,
  type CommandResult,
  type CommentOpResult,
} from './workflow';

/**
 * Story sync (issue 7, DESIGN §5), first cut: JSON with base64 Yjs bytes. Per story the
 * client sends what the server lacks (a Yjs update: its diff against the server state
 * vector it last saw) and its own state vector; the server merges, persists, then answers
 * with its state vector and what the client lacks. The same request twice changes nothing.
 * Bodies may travel compressed: request bodies with `Content-Encoding: gzip`, answers in
 * br or gzip when the client sends `Accept-Encoding`. The JSON itself is unchanged.
 */

/** Standard base64 (Yjs updates and state vectors). */
export const base64Schema = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'must be base64');

export const MAX_STORIES_PER_SYNC = 100;

export const syncStoryRequestSchema = z
  .object({
    id: idSchema,
    /** Absent or empty when the client has nothing the server lacks. */
    update: base64Schema.optional(),
    stateVector: base64Schema,
  })
  .strict();

export const syncRequestSchema = z
  .object({
    stories: z.array(syncStoryRequestSchema).max(MAX_STORIES_PER_SYNC),
    /** Workflow commands made since the last sync, oldest first (shared/server-api/workflow.ts). */
    commands: z.array(workflowCommandSchema).max(MAX_COMMANDS_PER_SYNC).optional(),
    /** Comment operations made since the last sync, oldest first. */
    comments: z.array(commentOpSchema).max(MAX_COMMENT_OPS_PER_SYNC).optional(),
  })
  .strict()
  .refine((body) => body.stories.length + (body.commands?.length ?? 0) + (body.comments?.length ?? 0) > 0, 'nothing to sync')
  .refine((body) => new Set(body.stories.map((s) => s.id)).size === body.stories.length, 'a story appears twice in one request');
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export type SyncStoryResult =
  | {
      id: string;
      ok: true;
      /** The server's state vector after merging: the client records it as acknowledged. */
      stateVector: string;
      /** What the client lacks (a Yjs update; may be an empty update). */
      update: string;
      /**
       * The story's change number (as in `GET /changes`) that this answer is current at:
       * with this update applied the client holds the story up to it, so a later changes
       * entry for the story whose changeSeq is not above it needs no new request.
       * Optional: servers before this field answered without it.
       */
      changeSeq?: number;
    }
  | {
      id: string;
      ok: false;
      /**
       * `forbidden`: not the caller's story; `not_found`: unknown and nothing to create it from; `invalid_update`: bytes Yjs cannot read;
       * `read_only`: the story's status does not let the caller edit it now (shared/workflow/rules.ts editReadOnlyReason): nothing stored.
       */
      error: { code: 'forbidden' | 'not_found' | 'invalid_update' | 'read_only'; message: string };
    };

export interface SyncResponse {
  stories: SyncStoryResult[];
  /** One per command sent, in order (absent when none were sent). */
  commands?: CommandResult[];
  /** One per comment operation sent, in order (absent when none were sent). */
  comments?: CommentOpResult[];
}

/** `GET /changes?since=CURSOR&limit=N`: the caller's stories changed after the cursor, oldest change first. */
export const changesQuerySchema = z
  .object({
    since: z
      .string()
      .regex(/^\d{1,15}$/, 'since: a cursor from a previous answer, or 0')
      .transform(Number)
      .optional(),
    limit: z
      .string()
      .regex(/^\d{1,4}$/)
      .transform(Number)
      .refine((n) => n >= 1 && n <= 1000, 'limit: 1 to 1000')
      .optional(),
  })
  .strict();

/** A story's projection as lists show it; the document itself comes through POST /sync. */
export interface StoryChange {
  id: string;
  createdBy: string;
  headline: string;
  rubrikId: string | null;
  redakturId: string | null;
  penulisIds: string[];
  wordCount: number;
  /** Workflow status as the server decided it (issue 9). */
  status: StoryStatus;
  /** Milliseconds since the epoch. */
  updatedAt: number;
  /** Grows with every change to the document, status or comments of the story. */
  changeSeq: number;
}

export interface ChangesResponse {
  stories: StoryChange[];
  /** Pass as `since` next time. */
  cursor: number;
  /** More changes wait: ask again at once with the new cursor. */
  more: boolean;
  /** The directory's version: refetch GET /directory when it differs from the cached one. */
  directoryVersion: number;
  /**
   * The caller's access epoch: it changes when what they may see changed without the
   * stories changing (their rubrik or role, the rubrik tree) or they lost sight of a story.
   * A client that saved another value with its cursor lists again from 0 (stories it lacks
   * appear; stories no longer listed are lost from sight) and then saves this one.
   * Optional: older servers do not send it.
   */
  accessEpoch?: number;
}
