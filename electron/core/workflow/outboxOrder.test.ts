import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncRequest, SyncResponse } from '../../../shared/server-api/sync';
import { openDatabase } from '../db/openDatabase';
import type { StoryDocs } from '../docs/storyDocs';
import { WorkflowStore } from './workflowStore';
import { createWorkflowSync } from './workflowSync';

const STORY = '7b0c6f3e-1f7a-4c1e-9a51-0c3f5e2d9a10';
const COMMAND = '5f1d2c3b-4a59-4e8f-8a7b-6c5d4e3f2a10';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The real store and outbox on a real SQLite file; the server is the recorded `call`. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'rr-outbox-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'core.db'));
  db.prepare('INSERT INTO stories (id, created_at, updated_at) VALUES (?, ?, ?)').run(STORY, 1, 1);
  const store = new WorkflowStore(db);
  store.enqueue({ id: COMMAND, storyId: STORY, kind: 'command', body: { id: COMMAND, storyId: STORY, command: 'request_revision', note: 'Tambahkan data.', issuedAt: 2 } }, 2);
  const sync = createWorkflowSync({ db, store, docs: { announce() {} } as unknown as StoryDocs, now: () => 3, onReviewChanged() {}, onInternalError() {} });
  const sent: SyncRequest[] = [];
  const call = async <T,>(request: { method: string; path: string; body?: unknown }): Promise<T> => {
    if (request.path !== 'sync') throw Object.assign(new Error('not found'), { kind: 'server', status: 404 });
    const body = request.body as SyncRequest;
    sent.push(body);
    const answer: SyncResponse = { stories: [], commands: (body.commands ?? []).map((c) => ({ id: c.id, ok: true, status: 'revision_requested' })) };
    return answer as T;
  };
  return { db, store, sync, sent, call };
}

describe('the outbox after a sync pass', () => {
  it('holds a story’s commands while the story has text the server has not acknowledged, and sends them once it has', async () => {
    const { db, store, sync, sent, call } = setup();
    // Typed while the pass ran: the text is not on the server yet.
    db.prepare('UPDATE stories SET dirty = 1 WHERE id = ?').run(STORY);
    await sync.afterPass(call).catch(() => {});
    expect(sent.flatMap((b) => b.commands ?? [])).toEqual([]);
    expect(store.outbox(10).map((i) => i.id)).toEqual([COMMAND]);

    // The next exchange pushed it: now the command goes.
    db.prepare('UPDATE stories SET dirty = 0 WHERE id = ?').run(STORY);
    await sync.afterPass(call).catch(() => {});
    expect(sent.flatMap((b) => b.commands ?? []).map((c) => c.id)).toEqual([COMMAND]);
    expect(store.outbox(10)).toEqual([]);
  });
});
