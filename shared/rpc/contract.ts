import { z } from 'zod';
import type { AccountStatus, Directory, SyncStatus } from '../domain/newsroom';
import { STORY_STATUSES, type StorySearchHit, type StorySummary } from '../domain/story';
import type { StoryReview } from '../domain/review';
import { WORKFLOW_COMMANDS } from '../workflow/rules';
import { MAX_PHOTO_MEGABYTES_CEILING, PHOTO_VARIANTS, type AttachedPhoto, type PhotoMime, type PhotoUploadStatus } from '../domain/photo';

/**
 * Services core offers to the renderer (README "Architecture"). Every method takes one input object,
 * validated against its zod schema where it arrives, and returns a promise.
 * Events are named onSomething on the client side and listed in CoreEvents.
 */

/** UI languages; Indonesian is the default. */
export const UI_LANGUAGES = ['id', 'en'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

const storyId = z.string().uuid();
// Typed as plain Uint8Array (any buffer), not z.instanceof's Uint8Array<ArrayBuffer>:
// Yjs returns Uint8Array<ArrayBufferLike>, which TS 5.9 would refuse.
const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'Expected bytes (Uint8Array)');

export const coreInputSchemas = {
  stories: {
    create: z.object({}).strict(),
    list: z
      .object({
        status: z.enum(STORY_STATUSES).optional(),
        /** List the trash instead of live stories. */
        trash: z.boolean().optional(),
        limit: z.number().int().min(1).max(50_000).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
    get: z.object({ id: storyId }).strict(),
    search: z
      .object({
        query: z.string().max(500),
        status: z.enum(STORY_STATUSES).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    delete: z.object({ id: storyId }).strict(),
    restore: z.object({ id: storyId }).strict(),
  },
  docs: {
    /** Full current state of the story document, as one Yjs update. */
    open: z.object({ storyId }).strict(),
    /** One or more Yjs updates merged into one; persisted before the promise resolves. */
    push: z.object({ storyId, update: bytes.refine((u) => u.byteLength > 0, 'empty update') }).strict(),
    close: z.object({ storyId }).strict(),
  },
  photos: {
    /**
     * Stores a photo's bytes in the profile (content addressed) and reads its metadata. Refused
     * with `photo_invalid` (not a JPEG, PNG, WebP or decodable HEIC; truncated; empty) or
     * `photo_too_large`; nothing is stored then. Does not touch the story document: the caller
     * adds the photo to the story's `photos` map (shared/doc/photos.ts) like any other edit.
     */
    attach: z.object({ storyId, fileName: z.string().max(1000), bytes }).strict(),
    /**
     * A rendition's (or the original's) bytes. Made once and cached; fetched from the server
     * (with auth) when this profile does not have the photo yet. `photo_unavailable` when neither
     * has it (offline, not uploaded yet).
     */
    rendition: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), variant: z.enum(PHOTO_VARIANTS) }).strict(),
    /** Upload progress of the given photos (state `pending` for one this profile never uploads). */
    uploads: z.object({ sha256s: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(1000) }).strict(),
  },
  workflow: {
    /** The story's review state from the local cache (works offline). */
    get: z.object({ storyId }).strict(),
    /**
     * Queues a workflow command in the durable outbox (sent with the next sync; the server
     * decides). Refused at once with `workflow_refused` when the rules in shared/workflow say no
     * for what this profile knows; `note` is required for request_revision.
     */
    command: z
      .object({ storyId, command: z.enum(WORKFLOW_COMMANDS), note: z.string().trim().max(4000).optional() })
      .strict(),
    /** Posts a comment (a new thread when threadId is new; a reply otherwise). Queued like commands. */
    comment: z
      .object({ storyId, threadId: z.string().uuid(), body: z.string().trim().min(1).max(4000), quote: z.string().max(2000) })
      .strict(),
    /** Resolves or reopens a thread. Queued like commands. */
    resolve: z.object({ storyId, threadId: z.string().uuid(), resolved: z.boolean() }).strict(),
    /** A version's document (one Yjs update): from the local cache, else fetched from the server. */
    version: z.object({ storyId, versionId: z.string().uuid() }).strict(),
    /** Forgets the last refusal shown for the story (the user read it). */
    dismissRefusal: z.object({ storyId }).strict(),
  },
  account: {
    /** Who is logged in on this profile, and the server it syncs with. */
    status: z.object({}).strict(),
    /**
     * Logs in on the server and keeps the session (encrypted at rest). Refused with
     * `login_failed` (wrong username or password), `server_unreachable`, or `profile_owned`
     * (another account owns this profile). Never needed for writing: work goes on offline.
     */
    login: z
      .object({
        serverUrl: z
          .string()
          .max(2000)
          .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/i, 'an http:// or https:// address'),
        username: z.string().min(1).max(64),
        password: z.string().min(1).max(200),
      })
      .strict(),
    /** Revokes the session on the server when reachable and forgets it here; local stories stay. */
    logout: z.object({}).strict(),
  },
  sync: {
    status: z.object({}).strict(),
    /** Starts an exchange with the server at once (also ends a backoff wait). */
    now: z.object({}).strict(),
  },
  directory: {
    /** Users and the rubrik tree as last synced (for pickers; works offline). */
    get: z.object({}).strict(),
  },
  settings: {
    getAll: z.object({}).strict(),
    set: z.discriminatedUnion('key', [
      z.object({ key: z.literal('uiLanguage'), value: z.enum(UI_LANGUAGES) }).strict(),
      /** Size limit of one attached photo, in MB (1 MB = 1024 × 1024 bytes). */
      z.object({ key: z.literal('maxPhotoMegabytes'), value: z.number().int().min(1).max(MAX_PHOTO_MEGABYTES_CEILING) }).strict(),
    ]),
  },
} as const;

type In<S extends keyof typeof coreInputSchemas, M extends keyof (typeof coreInputSchemas)[S]> = z.infer<
  Extract<(typeof coreInputSchemas)[S][M], z.ZodType>
>;

export interface StoryListResult {
  items: StorySummary[];
  total: number;
}

export interface StoriesService {
  create(input: In<'stories', 'create'>): Promise<StorySummary>;
  list(input: In<'stories', 'list'>): Promise<StoryListResult>;
  get(input: In<'stories', 'get'>): Promise<StorySummary>;
  search(input: In<'stories', 'search'>): Promise<StorySearchHit[]>;
  /** Moves the story to the trash; restore brings it back. Nothing is destroyed. */
  delete(input: In<'stories', 'delete'>): Promise<void>;
  restore(input: In<'stories', 'restore'>): Promise<StorySummary>;
}

export interface DocsService {
  open(input: In<'docs', 'open'>): Promise<{ storyId: string; state: Uint8Array }>;
  push(input: In<'docs', 'push'>): Promise<{ persisted: true }>;
  close(input: In<'docs', 'close'>): Promise<void>;
}

export interface PhotosService {
  attach(input: In<'photos', 'attach'>): Promise<AttachedPhoto>;
  rendition(input: In<'photos', 'rendition'>): Promise<{ sha256: string; mime: PhotoMime | 'image/webp' | 'image/jpeg'; bytes: Uint8Array }>;
  uploads(input: In<'photos', 'uploads'>): Promise<PhotoUploadStatus[]>;
}

export interface WorkflowService {
  get(input: In<'workflow', 'get'>): Promise<StoryReview>;
  command(input: In<'workflow', 'command'>): Promise<StoryReview>;
  comment(input: In<'workflow', 'comment'>): Promise<StoryReview>;
  resolve(input: In<'workflow', 'resolve'>): Promise<StoryReview>;
  version(input: In<'workflow', 'version'>): Promise<{ versionId: string; state: Uint8Array }>;
  dismissRefusal(input: In<'workflow', 'dismissRefusal'>): Promise<StoryReview>;
}

export interface AccountService {
  status(input: In<'account', 'status'>): Promise<AccountStatus>;
  login(input: In<'account', 'login'>): Promise<AccountStatus>;
  logout(input: In<'account', 'logout'>): Promise<AccountStatus>;
}

export interface SyncService {
  status(input: In<'sync', 'status'>): Promise<SyncStatus>;
  now(input: In<'sync', 'now'>): Promise<SyncStatus>;
}

export interface DirectoryService {
  get(input: In<'directory', 'get'>): Promise<Directory>;
}

export interface Settings {
  uiLanguage: UiLanguage;
  /** Size limit of one attached photo, in MB (default DEFAULT_MAX_PHOTO_MEGABYTES). */
  maxPhotoMegabytes: number;
}

export interface SettingsService {
  getAll(input: In<'settings', 'getAll'>): Promise<Settings>;
  set(input: In<'settings', 'set'>): Promise<Settings>;
}

export interface CoreServices {
  stories: StoriesService;
  docs: DocsService;
  photos: PhotosService;
  workflow: WorkflowService;
  account: AccountService;
  sync: SyncService;
  directory: DirectoryService;
  settings: SettingsService;
}

/** Events core broadcasts to every connected client. */
export interface CoreEvents {
  /** A story's list projection changed (headline, word count, status, trash). */
  storyChanged: StorySummary;
  accountChanged: AccountStatus;
  syncStatusChanged: SyncStatus;
  directoryChanged: Directory;
  /**
   * Changes to a story's document that came from elsewhere (the server): a Yjs update that
   * every window holding the story applies (with an origin it never pushes back).
   */
  docRemoteUpdate: { storyId: string; update: Uint8Array };
  /** A story's review state changed (status, comments, versions, outbox): fetch it with workflow.get. */
  reviewChanged: { storyId: string };
  /** A photo's upload moved (progress, done, error). */
  photoUploadChanged: PhotoUploadStatus;
}

export type ServiceName = keyof CoreServices;
export type MethodName<S extends ServiceName> = keyof CoreServices[S] & string;
