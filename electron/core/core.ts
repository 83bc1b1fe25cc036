import { mkdirSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import type { StorySummary } from '../../shared/domain/story';
import { coreInputSchemas, type CoreEvents, type CoreServices } from '../../shared/rpc/contract';
import { createRpcServer, type RpcCaller, type RpcServer, type ServiceHandlers } from '../../shared/rpc/server';
import { createAccount, type Account } from './account/account';
import { AccountRepository } from './account/accountRepository';
import { createFileSecretStore, createLocalCipher, type SecretCipher } from './account/secretStore';
import { openDatabase } from './db/openDatabase';
import { createDocsService } from './docs/docsService';
import { StoryDocs } from './docs/storyDocs';
import { lockProfile, type ProfileLock } from './profile/profileLock';
import { createSettingsService } from './settings/settingsService';
import { createServerClient, type ServerClient } from './net/serverClient';
import { createNotifyClient } from './sync/notifyClient';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from './sync/syncEngine';
import { createSyncService } from './sync/syncService';
import { createStoriesService } from './stories/storiesService';
import { StoryRepository } from './stories/storyRepository';
import { createWorkflowService } from './workflow/workflowService';
import { createWorkflowSync } from './workflow/workflowSync';
import { WorkflowStore } from './workflow/workflowStore';
import { createPhotosService } from './photos/photosService';
import { createPhotoFetcher } from './photos/photoFetch';
import { createPhotoUploader, type PhotoUploaderOptions } from './photos/photoUploader';

export const DATABASE_FILE = 'core.db';
/** The profile file holding the newsroom session token, sealed and owner-only (account/secretStore.ts). */
export const SESSION_FILE = 'session-token';

export interface OpenCoreOptions {
  /** Directory holding everything local: the SQLite store now, photos later. Created if missing. */
  profileDir: string;
  /** Updates per story between snapshots (default 300). */
  compactEvery?: number;
  /** Longest delay of the word count / FTS refresh while a story is edited (default 1000 ms). */
  indexDelayMs?: number;
  now?: () => number;
  /** Failures that are not RpcErrors (bugs, I/O). Defaults to console.error. */
  onInternalError?: (method: string, error: unknown) => void;
  /** The newsroom server the login screen offers first (web mode's demo server, a desktop default). */
  defaultServerUrl?: string;
  /**
   * Seals the session token with the operating system's keychain (the desktop app: Electron's
   * safeStorage, reached through main). Absent (web mode, tests): a key kept in the store.
   */
  secretCipher?: SecretCipher;
  /** The newsroom server's HTTP client (default: createServerClient()). */
  serverClient?: ServerClient;
  /** Sync engine tuning (tests: a very long poll, so only the notification channel can explain a quick sync). */
  sync?: Pick<SyncEngineOptions, 'pollIntervalMs' | 'pushDelayMs'>;
  /** Photo upload tuning (tests and benchmarks: chunk size, retry delays). */
  photoUploads?: Pick<PhotoUploaderOptions, 'chunkBytes' | 'retryDelaysMs' | 'stallMs'>;
}

export interface Core {
  /**
   * The services called in process (seeding, tests, benchmarks), all as one client that
   * lives as long as core. Clients over a transport go through rpcServer, each on its own.
   */
  services: CoreServices;
  /** Attach each client's endpoint (MessagePort, WebSocket, memory) to this. */
  rpcServer: RpcServer<CoreEvents>;
  /** The profile's account: its session for the sync engine, the directory refresh. */
  account: Pick<Account, 'session' | 'refreshDirectory' | 'ready'>;
  /** Writes pending projections and index rows now (the update log itself is always written). */
  flush(): void;
  /** Flushes, closes the store and releases the profile. Idempotent. */
  close(): void;
}

/**
 * The composition root of core: one store, its services and an RPC server over them.
 * Each call builds an independent core; nothing is held at module level.
 */
export function openCore(options: OpenCoreOptions): Core {
  const { profileDir } = options;
  mkdirSync(profileDir, { recursive: true });
  const lock = lockProfile(profileDir);
  let db: Database.Database | undefined;
  try {
    db = openDatabase(join(profileDir, DATABASE_FILE));
    return assemble(options, db, lock);
  } catch (error) {
    // Whatever failed, the next start (or another process) must find the store closed and
    // the profile free: a handle left open would keep the lock's promise a lie.
    try {
      db?.close();
    } finally {
      lock.release();
    }
    throw error;
  }
}

function assemble(options: OpenCoreOptions, db: Database.Database, lock: ProfileLock): Core {
  const now = options.now ?? Date.now;
  const onInternalError = options.onInternalError ?? ((method, error) => console.error(`[core] ${method} failed:`, error));

  // Services broadcast through the server built after them.
  const broadcastTo: { server?: RpcServer<CoreEvents> } = {};
  // The sync engine is built after the documents it reads; local changes reach it from then on.
  const engineRef: { engine?: SyncEngine } = {};
  const onStoryChanged = (summary: StorySummary) => {
    broadcastTo.server?.broadcast('storyChanged', summary);
    engineRef.engine?.noteLocalChange();
  };

  const stories = new StoryRepository(db);
  const docs = new StoryDocs(db, stories, {
    compactEvery: options.compactEvery,
    indexDelayMs: options.indexDelayMs,
    now,
    onStoryChanged,
    onInternalError,
    // Every window gets it and applies it only to a story it has open.
    onRemoteUpdate: ({ storyId, update }) => broadcastTo.server?.broadcast('docRemoteUpdate', { storyId, update }),
  });
  // Per story: a damaged one is flagged and skipped, never a reason not to start.
  docs.refreshStaleIndexes();

  const accountRepository = new AccountRepository(db, now);
  const account = createAccount({
    repository: accountRepository,
    secrets: createFileSecretStore(join(options.profileDir, SESSION_FILE), {
      preferred: options.secretCipher,
      fallback: createLocalCipher(accountRepository.localKey()),
    }),
    client: options.serverClient ?? createServerClient(),
    defaultServerUrl: options.defaultServerUrl,
    onAccountChanged: (status) => broadcastTo.server?.broadcast('accountChanged', status),
    onDirectoryChanged: (directory) => broadcastTo.server?.broadcast('directoryChanged', directory),
    onInternalError,
  });

  const workflowStore = new WorkflowStore(db);
  const onReviewChanged = (storyId: string) => broadcastTo.server?.broadcast('reviewChanged', { storyId });
  // Photos go after text: each completed sync exchange starts an upload pass.
  const photoUploader = createPhotoUploader({
    db,
    profileDir: options.profileDir,
    sessions: account.session,
    now,
    ...options.photoUploads,
    onChange: (status) => broadcastTo.server?.broadcast('photoUploadChanged', status),
    onTotalsChanged: () => engineRef.engine?.extraStatusChanged(),
    onInternalError,
  });

  const engine = createSyncEngine({
    db,
    stories,
    docs,
    workflow: createWorkflowSync({ db, store: workflowStore, docs, now, onReviewChanged, onInternalError }),
    sessions: account.session,
    now,
    ...options.sync,
    extraStatus: () => photoUploader.totals(),
    onExchangeComplete: () => photoUploader.kick(),
    onStatus: (status) => broadcastTo.server?.broadcast('syncStatusChanged', status),
    onDirectoryVersion: () => void account.refreshDirectory(),
    onInternalError,
  });
  engineRef.engine = engine;
  // The server's hints (GET /notify) make the engine sync at once; its polling stays as the safety net.
  const notifyClient = createNotifyClient({
    sessions: account.session,
    engine,
    refreshDirectory: () => account.refreshDirectory(),
    onInternalError,
  });

  const handlers: ServiceHandlers<CoreServices> = {
    stories: createStoriesService({ stories, now, onStoryChanged }),
    docs: createDocsService(docs),
    photos: createPhotosService({
      db,
      profileDir: options.profileDir,
      now,
      onInternalError,
      fetchMissing: createPhotoFetcher({
        profileDir: options.profileDir,
        sessions: account.session,
        // A photo this profile does not send (another's) reads as done once it came from the server.
        onFetched: ({ sha256 }) => broadcastTo.server?.broadcast('photoUploadChanged', photoUploader.statuses([sha256])[0]!),
      }).fetch,
      uploads: async ({ sha256s }) => photoUploader.statuses(sha256s),
    }),
    workflow: createWorkflowService({
      store: workflowStore,
      stories,
      docs,
      user: () => accountRepository.read().user,
      directory: () => accountRepository.readDirectory(),
      session: () => account.session.current(),
      now,
      onQueued: () => engine.notify(),
      onReviewChanged,
    }),
    account: account.service,
    sync: createSyncService(engine),
    directory: account.directory,
    settings: createSettingsService(db),
  };
  const rpcServer = createRpcServer<CoreServices, CoreEvents>(handlers, coreInputSchemas, { onInternalError });
  broadcastTo.server = rpcServer;

  let closed = false;
  return {
    services: bindCaller(handlers, IN_PROCESS_CALLER),
    rpcServer,
    account: { session: account.session, refreshDirectory: account.refreshDirectory, ready: account.ready },
    flush() {
      if (!closed) docs.flushAll();
    },
    close() {
      if (closed) return;
      closed = true;
      // First: from here on the engine and the uploader touch the store no more.
      engine.stop();
      void photoUploader.stop();
      notifyClient.stop();
      account.dispose();
      try {
        docs.closeAll();
      } finally {
        db.close();
        lock.release();
      }
    },
  };
}

/** The one client of in-process calls: it never detaches (core's close releases everything). */
const IN_PROCESS_CALLER: RpcCaller = { id: 'in-process', detached: false, onDetach: () => () => {} };

function bindCaller(handlers: ServiceHandlers<CoreServices>, caller: RpcCaller): CoreServices {
  const bound: Record<string, Record<string, (input: never) => Promise<unknown>>> = {};
  for (const [serviceName, methods] of Object.entries(handlers)) {
    bound[serviceName] = Object.fromEntries(
      Object.entries(methods as Record<string, (input: never, caller: RpcCaller) => Promise<unknown>>).map(([name, fn]) => [
        name,
        (input: never) => fn.call(methods, input, caller),
      ]),
    );
  }
  return bound as unknown as CoreServices;
}
