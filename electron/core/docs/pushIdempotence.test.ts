import { join } from 'node:path';
import Database from 'better-sqlite3';
import { $getRoot, $isTextNode } from 'lexical';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bodyPlainText } from '../../../shared/doc/storyDoc';
import type { StorySummary } from '../../../shared/domain/story';
import { editStoryBody, writeStoryBody } from '../../../shared/editor/headless';
import { createRpcClient, type RpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { createMemoryEndpointPair } from '../../../shared/rpc/memoryTransport';
import { DATABASE_FILE, openCore, type Core } from '../core';
import { tempProfile } from '../testing/tempProfile';

/**
 * A push that adds nothing the document lacks (a batch sent again because its answer was
 * lost, a stash replayed after a reload) must write nothing: no log row, no new `updated`
 * time, no storyChanged; and it is still answered {persisted: true}.
 */
let profile: ReturnType<typeof tempProfile>;
let core: Core;
let client: RpcClient<CoreServices, CoreEvents>;
let clock: number;
let changed: StorySummary[];
let storyId: string;
let doc: Y.Doc;

beforeEach(async () => {
  profile = tempProfile();
  clock = 1_000_000;
  core = openCore({ profileDir: profile.dir, now: () => (clock += 1000), indexDelayMs: 60_000 });
  const [serverSide, clientSide] = createMemoryEndpointPair();
  core.rpcServer.attach(serverSide);
  client = createRpcClient<CoreServices, CoreEvents>(clientSide);
  storyId = (await client.services.stories.create({})).id;
  doc = new Y.Doc();
  Y.applyUpdate(doc, (await client.services.docs.open({ storyId })).state);
  await client.services.docs.push({ storyId, update: writeStoryBody(doc, [{ type: 'paragraph', children: ['Harga cabai naik tajam'] }]) });
  changed = [];
  client.on('storyChanged', (s) => changed.push(s));
});
afterEach(() => {
  client.dispose();
  core.close();
  profile.remove();
});

function storedState(): { rows: number; updatedAt: number; stale: number } {
  const db = new Database(join(profile.dir, DATABASE_FILE), { readonly: true });
  try {
    const rows = db.prepare('SELECT count(*) FROM doc_updates').pluck().get() as number;
    const story = db.prepare('SELECT updated_at, index_stale FROM stories').get() as { updated_at: number; index_stale: number };
    return { rows, updatedAt: story.updated_at, stale: story.index_stale };
  } finally {
    db.close();
  }
}

/** Rewrites the only text node of the body (Lexical turns this into inserts and/or deletes). */
function setText(text: string): Uint8Array {
  return editStoryBody(doc, () => {
    const last = $getRoot().getLastDescendant();
    if ($isTextNode(last)) last.setTextContent(text);
  });
}

async function reopenedText(): Promise<string> {
  await client.services.docs.close({ storyId });
  core.close();
  core = openCore({ profileDir: profile.dir });
  const reopened = new Y.Doc();
  Y.applyUpdate(reopened, (await core.services.docs.open({ storyId })).state);
  return bodyPlainText(reopened);
}

describe('a push that changes nothing writes nothing', () => {
  it('answers a replayed batch as persisted without a log row, a new updated time or a storyChanged', async () => {
    const batch = setText('Harga cabai naik tajam hari ini');
    expect(await client.services.docs.push({ storyId, update: batch })).toEqual({ persisted: true });
    const after = storedState();
    expect(changed).toHaveLength(1);

    expect(await client.services.docs.push({ storyId, update: batch })).toEqual({ persisted: true });
    // The whole document, as a client sends after a reconnect, is known too.
    expect(await client.services.docs.push({ storyId, update: Y.encodeStateAsUpdate(doc) })).toEqual({ persisted: true });
    expect(storedState()).toEqual(after);
    expect(changed).toHaveLength(1);
  });

  it('writes a delete-only update (same state vector) once, and its replay not at all', async () => {
    const svBefore = Y.encodeStateVector(doc);
    const deletion = editStoryBody(doc, () => {
      const last = $getRoot().getLastDescendant();
      if ($isTextNode(last)) last.spliceText(11, 11, '', false); // "Harga cabai naik tajam" → "Harga cabai"
    });
    expect(Y.encodeStateVector(doc)).toEqual(svBefore); // nothing inserted: only a delete set
    const before = storedState();
    await client.services.docs.push({ storyId, update: deletion });
    const after = storedState();
    expect(after.rows).toBe(before.rows + 1);
    expect(after.updatedAt).toBeGreaterThan(before.updatedAt);
    expect(changed).toHaveLength(1);

    await client.services.docs.push({ storyId, update: deletion });
    expect(storedState()).toEqual(after);
    expect(changed).toHaveLength(1);
    expect(await reopenedText()).toBe('Harga cabai');
  });

  it('logs an update that waits for an earlier one it depends on, so neither is lost', async () => {
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const probe = doc.getMap('probe');
    probe.set('k', 'Cabai');
    probe.set('k', 'Cabai naik'); // replaces the first value: depends on it
    const [first, second] = updates as [Uint8Array, Uint8Array];
    const before = storedState();
    // Arrives before the update it builds on (e.g. batches reordered by a retry): nothing
    // integrates yet, but it must reach the log, or a restart would lose it.
    await client.services.docs.push({ storyId, update: second });
    expect(storedState().rows).toBe(before.rows + 1);
    await client.services.docs.push({ storyId, update: second }); // its replay adds nothing
    expect(storedState().rows).toBe(before.rows + 1);
    await client.services.docs.push({ storyId, update: first });
    expect(storedState().rows).toBe(before.rows + 2);
    await client.services.docs.close({ storyId });
    core.close();
    core = openCore({ profileDir: profile.dir });
    const reopened = new Y.Doc();
    Y.applyUpdate(reopened, (await core.services.docs.open({ storyId })).state);
    expect(reopened.getMap('probe').get('k')).toBe('Cabai naik');
  });
});
