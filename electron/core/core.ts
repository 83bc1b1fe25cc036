import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StorySummary } from '../../shared/domain/story';
import { coreInputSchemas, type CoreEvents, type CoreServices } from '../../shared/rpc/contract';
import { createRpcServer, type RpcServer } from '../../shared/rpc/server';
import { openDatabase } from './db/openDatabase';
import { createDocsService } from './docs/docsService';
import { StoryDocs } from './docs/storyDocs';
import { lockProfile } from './profile/profileLock';
import { createSettingsService } from './settings/settingsService';
import { createStoriesService } from './stories/storiesService';
import { StoryRepository } from './stories/storyRepository';

export const DATABASE_FILE = 'core.db';

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
}

export interface Core {
  services: CoreServices;
  /** Attach each client's endpoint (MessagePort, WebSocket, memory) to this. */
  rpcServer: RpcServer<CoreEvents>;
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
  const now = options.now ?? Date.now;
  mkdirSync(profileDir, { recursive: true });
  const lock = lockProfile(profileDir);
  let db;
  try {
    db = openDatabase(join(profileDir, DATABASE_FILE));
  } catch (error) {
    lock.release();
    throw error;
  }

  // Services broadcast through the server built after them.
  const broadcastTo: { server?: RpcServer<CoreEvents> } = {};
  const onStoryChanged = (summary: StorySummary) => broadcastTo.server?.broadcast('storyChanged', summary);

  const stories = new StoryRepository(db);
  const docs = new StoryDocs(db, stories, {
    compactEvery: options.compactEvery,
    indexDelayMs: options.indexDelayMs,
    now,
    onStoryChanged,
  });
  docs.refreshStaleIndexes();

  const services: CoreServices = {
    stories: createStoriesService({ stories, now, onStoryChanged }),
    docs: createDocsService(docs),
    settings: createSettingsService(db),
  };
  const rpcServer = createRpcServer<CoreServices, CoreEvents>(services, coreInputSchemas, {
    onInternalError: options.onInternalError ?? ((method, error) => console.error(`[core] ${method} failed:`, error)),
  });

  broadcastTo.server = rpcServer;

  let closed = false;
  return {
    services,
    rpcServer,
    flush() {
      if (!closed) docs.flushAll();
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        docs.closeAll();
      } finally {
        db.close();
        lock.release();
      }
    },
  };
}
