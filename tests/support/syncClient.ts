import * as Y from 'yjs';
import type { ChangesResponse, SyncRequest, SyncResponse, SyncStoryResult } from '../../shared/server-api/sync';
import { MAX_STORIES_PER_SYNC } from '../../shared/server-api/sync';
import type { LoginResponse } from '../../shared/server-api/schemas';
import { ServerClient, type ServerClientOptions } from './serverHttp';

/**
 * A minimal client of the server's story sync, speaking POST /sync the way core's sync
 * engine does (shared/server-api/sync.ts): per story it keeps a Y.Doc and the server state
 * vector last acknowledged; a push sends the Yjs diff against that state vector plus its
 * own state vector, in batches of at most 100 stories; the answer's state vector becomes
 * the acknowledged one and the answer's update is applied. Tests and benchmarks use it to
 * measure and exercise the protocol without core.
 */

const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const REMOTE = Symbol('remote');

export interface ClientStory {
  id: string;
  doc: Y.Doc;
  /** The server's state vector as last acknowledged (empty before the first sync). */
  acked: Uint8Array;
  /** Local changes the server has not acknowledged yet (deletions move no state vector, so a flag). */
  dirty: boolean;
  /** Typed while a request carrying this story was out (so its answer does not clear `dirty`). */
  typedSince: boolean;
}

export interface SyncRoundStats {
  requests: number;
  sentBytes: number;
  receivedBytes: number;
  /** Stories the server refused, with its error code. */
  refused: Array<{ id: string; code: string }>;
}

export class SyncClient {
  readonly http: ServerClient;
  readonly stories = new Map<string, ClientStory>();

  constructor(options: ServerClientOptions) {
    this.http = new ServerClient(options);
  }

  async login(username: string, password: string): Promise<LoginResponse> {
    const res = await this.http.ok<LoginResponse>('POST', '/auth/login', { username, password });
    this.http.token = res.body.token;
    return res.body;
  }

  /** A story held locally, from `state` (a Yjs update), not yet on the server. */
  addStory(id: string, state?: Uint8Array): ClientStory {
    const doc = new Y.Doc();
    const story: ClientStory = { id, doc, acked: new Uint8Array([0]), dirty: false, typedSince: false };
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return;
      story.dirty = true;
      story.typedSince = true;
    });
    if (state) Y.applyUpdate(doc, state);
    this.stories.set(id, story);
    return story;
  }

  /** The request entry for one story: the diff the server lacks (when dirty) and our state vector. */
  entry(story: ClientStory): SyncRequest['stories'][number] {
    const stateVector = b64(Y.encodeStateVector(story.doc));
    if (!story.dirty) return { id: story.id, stateVector };
    return { id: story.id, update: b64(Y.encodeStateAsUpdate(story.doc, story.acked)), stateVector };
  }

  /** Applies one story's answer: acknowledged state vector, and what we lacked. */
  private apply(result: SyncStoryResult, sentDirty: Set<string>): void {
    const story = this.stories.get(result.id);
    if (!story || !result.ok) return;
    story.acked = fromB64(result.stateVector);
    // Only what was sent is acknowledged: edits typed while the request was out stay dirty.
    if (sentDirty.has(story.id) && !story.typedSince) story.dirty = false;
    const update = fromB64(result.update);
    if (update.length > 0) Y.applyUpdate(story.doc, update, REMOTE);
  }

  /** One POST /sync for `ids` (at most 100). */
  async syncBatch(ids: readonly string[]): Promise<{ response: SyncResponse; sentBytes: number; receivedBytes: number }> {
    if (ids.length === 0 || ids.length > MAX_STORIES_PER_SYNC) throw new Error(`a sync batch holds 1 to ${MAX_STORIES_PER_SYNC} stories, got ${ids.length}`);
    const sentDirty = new Set<string>();
    const entries = ids.map((id) => {
      const story = this.stories.get(id);
      if (!story) throw new Error(`unknown story ${id}`);
      if (story.dirty) sentDirty.add(id);
      story.typedSince = false;
      return this.entry(story);
    });
    const res = await this.http.ok<SyncResponse>('POST', '/sync', { stories: entries } satisfies SyncRequest);
    for (const result of res.body.stories) this.apply(result, sentDirty);
    return { response: res.body, sentBytes: res.sentBytes, receivedBytes: res.receivedBytes };
  }

  /** Syncs `ids` (all held stories by default) in batches of 100, one request after another. */
  async syncAll(ids: readonly string[] = [...this.stories.keys()]): Promise<SyncRoundStats> {
    const stats: SyncRoundStats = { requests: 0, sentBytes: 0, receivedBytes: 0, refused: [] };
    for (let i = 0; i < ids.length; i += MAX_STORIES_PER_SYNC) {
      const { response, sentBytes, receivedBytes } = await this.syncBatch(ids.slice(i, i + MAX_STORIES_PER_SYNC));
      stats.requests++;
      stats.sentBytes += sentBytes;
      stats.receivedBytes += receivedBytes;
      for (const r of response.stories) if (!r.ok) stats.refused.push({ id: r.id, code: r.error.code });
    }
    return stats;
  }

  /** GET /changes from `since`: what changed on the server for this user. */
  async changes(since: number, limit = 1000): Promise<ChangesResponse> {
    return (await this.http.ok<ChangesResponse>('GET', `/changes?since=${since}&limit=${limit}`)).body;
  }

  /** True when the server acknowledged everything this story holds. */
  converged(story: ClientStory): boolean {
    if (story.dirty) return false;
    const acked = Y.decodeStateVector(story.acked);
    const own = Y.decodeStateVector(Y.encodeStateVector(story.doc));
    return acked.size === own.size && [...own].every(([client, clock]) => acked.get(client) === clock);
  }

  close(): void {
    this.http.close();
    for (const story of this.stories.values()) story.doc.destroy();
  }
}
