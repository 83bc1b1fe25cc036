import { z } from 'zod';
import { idSchema } from './schemas';

/**
 * Story sync (issue 7, DESIGN §5), first cut: JSON with base64 Yjs bytes. Per story the
 * client sends what the server lacks (a Yjs update: its diff against the server state
 * vector it last saw) and its own state vector; the server merges, persists, then answers
 * with its state vector and what the client lacks. The same request twice changes nothing.
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
  .object({ stories: z.array(syncStoryRequestSchema).min(1).max(MAX_STORIES_PER_SYNC) })
  .strict()
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
    }
  | {
      id: string;
      ok: false;
      /** `forbidden`: not the caller's story; `not_found`: unknown and nothing to create it from; `invalid_update`: bytes Yjs cannot read. */
      error: { code: 'forbidden' | 'not_found' | 'invalid_update'; message: string };
    };

export interface SyncResponse {
  stories: SyncStoryResult[];
}
