import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { getBody, getMetaMap, getMetaText, readMeta, bodyPlainText } from '../../../shared/doc/storyDoc';
import type { SyncStatus } from '../../../shared/domain/newsroom';
import { openDatabase } from '../db/openDatabase';
import { StoryDocs } from '../docs/storyDocs';
import { lockProfile, type ProfileLock } from '../profile/profileLock';
import { StoryRepository } from '../stories/storyRepository';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../sync/syncEngine';
import type { SessionSource } from '../sync/session';

export const CORE_DB = 'core.db';

/**
 * The parts of core the sync engine works with, on a real profile (SQLite store, StoryDocs),
 * wired the way core.ts wires them: what tests of sync need, without the RPC layer.
 */
export interface SyncCore {
  db: Database.Database;
  stories: StoryRepository;
  docs: StoryDocs;
  engine: SyncEngine;
  statuses: SyncStatus[];
  remoteUpdates: Array<{ storyId: string; update: Uint8Array; holders: string[] }>;
  close(): Promise<void>;
}

export function openSyncCore(
  profileDir: string,
  sessions: SessionSource,
  engineOptions: Partial<Omit<SyncEngineOptions, 'db' | 'stories' | 'docs' | 'sessions'>> = {},
): SyncCore {
  const lock: ProfileLock = lockProfile(profileDir);
  const db = openDatabase(join(profileDir, CORE_DB));
  const stories = new StoryRepository(db);
  const remoteUpdates: SyncCore['remoteUpdates'] = [];
  const statuses: SyncStatus[] = [];
  const engineRef: { engine?: SyncEngine } = {};
  const docs = new StoryDocs(db, stories, {
    indexDelayMs: 10,
    onRemoteUpdate: (event) => remoteUpdates.push(event),
    onStoryChanged: () => engineRef.engine?.noteLocalChange(),
  });
  const engine = createSyncEngine({
    db,
    stories,
    docs,
    sessions,
    pollIntervalMs: 3_600_000,
    pushDelayMs: 3_600_000,
    ...engineOptions,
    onStatus: (s) => {
      statuses.push(s);
      engineOptions.onStatus?.(s);
    },
  });
  engineRef.engine = engine;
  let closed = false;
  return {
    db,
    stories,
    docs,
    engine,
    statuses,
    remoteUpdates,
    /** Idempotent: a test may close a core early (a restart) and the cleanup close it again. */
    async close() {
      if (closed) return;
      closed = true;
      await engine.stop();
      docs.closeAll();
      db.close();
      lock.release();
    },
  };
}

/** A new local story, as stories.create makes it. */
export function createStory(core: Pick<SyncCore, 'stories'>): string {
  const id = randomUUID();
  core.stories.insert(id, Date.now());
  return id;
}

/** Edits a story the way an editor window does: a Y.Doc of its own, the change pushed as an update. */
export function editStory(core: Pick<SyncCore, 'docs'>, storyId: string, edit: (doc: Y.Doc) => void): void {
  const doc = readDoc(core, storyId);
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.transact(() => edit(doc));
  if (updates.length > 0) core.docs.push(storyId, Y.mergeUpdates(updates));
  doc.destroy();
}

export function readDoc(core: Pick<SyncCore, 'docs'>, storyId: string): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, core.docs.stateOf(storyId));
  return doc;
}

/** What a reader sees of a story: body text and meta. */
export function storyText(core: Pick<SyncCore, 'docs'>, storyId: string): { body: string; meta: ReturnType<typeof readMeta> } {
  const doc = readDoc(core, storyId);
  try {
    return { body: bodyPlainText(doc), meta: readMeta(doc) };
  } finally {
    doc.destroy();
  }
}

/** A body of paragraphs shaped like @lexical/yjs writes them (one nested XmlText per block). */
export function writeParagraphs(doc: Y.Doc, paragraphs: string[]): void {
  const root = getBody(doc);
  for (const text of paragraphs) {
    const block = new Y.XmlText();
    root.insertEmbed(root.length, block);
    block.setAttribute('__type', 'paragraph');
    block.insert(0, text);
  }
}

/** The n-th paragraph of the body (0-based). */
export function paragraph(doc: Y.Doc, n: number): Y.XmlText {
  const blocks = (getBody(doc).toDelta() as Array<{ insert: unknown }>).map((op) => op.insert).filter((x): x is Y.XmlText => x instanceof Y.XmlText);
  return blocks[n]!;
}

export function setHeadline(doc: Y.Doc, text: string): void {
  const t = getMetaText(doc, 'headline');
  t.delete(0, t.length);
  t.insert(0, text);
}

export function setMeta(doc: Y.Doc, values: Record<string, unknown>): void {
  const meta = getMetaMap(doc);
  for (const [k, v] of Object.entries(values)) meta.set(k, v);
}
