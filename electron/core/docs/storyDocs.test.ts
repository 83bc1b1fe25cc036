import { join } from 'node:path';
import Database from 'better-sqlite3';
import { $getRoot, $isTextNode } from 'lexical';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeMetaText } from '../../../shared/doc/metaText';
import { bodyPlainText, readMeta } from '../../../shared/doc/storyDoc';
import { editStoryBody, readStoryBody, writeStoryBody } from '../../../shared/editor/headless';
import { sampleStoryBlocks } from '../../../shared/editor/headlessSample';
import { createRpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { createMemoryEndpointPair } from '../../../shared/rpc/memoryTransport';
import { RpcError } from '../../../shared/rpc/protocol';
import { countWords } from '../../../shared/text/wordCount';
import { DATABASE_FILE, openCore, type Core } from '../core';
import { rowCounts, tempProfile } from '../testing/tempProfile';

let profile: ReturnType<typeof tempProfile>;
let core: Core | undefined;
beforeEach(() => {
  profile = tempProfile();
});
afterEach(() => {
  core?.close();
  core = undefined;
  profile.remove();
});

/** Types one word at a time at the end of the body, pushing each keystroke batch like the renderer. */
async function typeWords(c: Core, storyId: string, client: Y.Doc, words: string[]): Promise<void> {
  for (const word of words) {
    const update = editStoryBody(client, () => {
      const last = $getRoot().getLastDescendant();
      if ($isTextNode(last)) last.setTextContent(`${last.getTextContent()} ${word}`);
    });
    await c.services.docs.push({ storyId, update });
  }
}

describe('story documents: update log and compaction', () => {
  it('compacts hundreds of updates into a snapshot and reopens identically in a fresh store', async () => {
    core = openCore({ profileDir: profile.dir, compactEvery: 300, indexDelayMs: 5 });
    const { id } = await core.services.stories.create({});
    const client = new Y.Doc();
    Y.applyUpdate(client, (await core.services.docs.open({ storyId: id })).state);

    writeMetaText(client, 'headline', 'Harga cabai melonjak');
    const first = Y.encodeStateAsUpdate(client);
    await core.services.docs.push({ storyId: id, update: first });
    await core.services.docs.push({ storyId: id, update: writeStoryBody(client, [{ type: 'paragraph', children: ['Mula'] }]) });
    const words = Array.from({ length: 700 }, (_, i) => `kata${i}`);
    await typeWords(core, id, client, words);

    const pushes = 2 + words.length; // 702: compactions at 300 and 600
    const db = new Database(join(profile.dir, DATABASE_FILE), { readonly: true });
    const snap = db.prepare('SELECT up_to_seq FROM doc_snapshots').get() as { up_to_seq: number };
    const log = db.prepare('SELECT min(seq) AS lo, max(seq) AS hi, count(*) AS n FROM doc_updates').get() as { lo: number; hi: number; n: number };
    db.close();
    expect(snap.up_to_seq).toBe(600);
    expect(log).toEqual({ lo: 601, hi: pushes, n: pushes - 600 });

    await core.services.docs.close({ storyId: id });
    core.close();

    // A new core on the same profile: as after a restart.
    core = openCore({ profileDir: profile.dir });
    const reopened = new Y.Doc();
    Y.applyUpdate(reopened, (await core.services.docs.open({ storyId: id })).state);
    expect(Y.encodeStateVector(reopened)).toEqual(Y.encodeStateVector(client));
    expect(bodyPlainText(reopened)).toBe(bodyPlainText(client));
    expect(readStoryBody(reopened).json).toEqual(readStoryBody(client).json);
    expect(readMeta(reopened).headline).toBe('Harga cabai melonjak');
    expect(bodyPlainText(reopened)).toBe(`Mula ${words.join(' ')}`);

    const summary = await core.services.stories.get({ id });
    expect(summary).toMatchObject({ headline: 'Harga cabai melonjak', wordCount: 701 });
  });

  it('compacts a long tail left by a crash when the story is next loaded', async () => {
    core = openCore({ profileDir: profile.dir, compactEvery: 1000, indexDelayMs: 5 });
    const { id } = await core.services.stories.create({});
    const client = new Y.Doc();
    await core.services.docs.push({ storyId: id, update: writeStoryBody(client, [{ type: 'paragraph', children: ['x'] }]) });
    core.close(); // a clean close folds everything into the snapshot
    expect(rowCounts(profile.dir)).toMatchObject({ doc_updates: 0, doc_snapshots: 1 });

    // What a core killed mid-session leaves: 40 updates after the snapshot, never folded.
    const tail: Uint8Array[] = [];
    client.on('update', (u: Uint8Array) => tail.push(u));
    for (let i = 0; i < 40; i++) {
      editStoryBody(client, () => {
        const last = $getRoot().getLastDescendant();
        if ($isTextNode(last)) last.setTextContent(`${last.getTextContent()} w${i}`);
      });
    }
    const db = new Database(join(profile.dir, DATABASE_FILE));
    const { row_id: rowId, up_to_seq: upTo } = db
      .prepare('SELECT row_id, up_to_seq FROM stories JOIN doc_snapshots ON story_row_id = row_id WHERE id = ?')
      .get(id) as { row_id: number; up_to_seq: number };
    const insert = db.prepare('INSERT INTO doc_updates (story_row_id, seq, data, created_at) VALUES (?, ?, ?, 0)');
    tail.forEach((u, i) => insert.run(rowId, upTo + 1 + i, u));
    db.close();

    core = openCore({ profileDir: profile.dir, compactEvery: 10 });
    const opened = new Y.Doc();
    Y.applyUpdate(opened, (await core.services.docs.open({ storyId: id })).state);
    expect(rowCounts(profile.dir)).toMatchObject({ doc_updates: 0, doc_snapshots: 1 });
    expect(bodyPlainText(opened)).toBe(bodyPlainText(client));
    expect(bodyPlainText(opened)).toContain('w39');
  });

  it('hands over a compacted story as its stored snapshot; a push right after the open lands on the whole document', async () => {
    core = openCore({ profileDir: profile.dir, compactEvery: 5, indexDelayMs: 5 });
    const { id } = await core.services.stories.create({});
    const writer = new Y.Doc();
    await core.services.docs.push({ storyId: id, update: writeStoryBody(writer, [{ type: 'paragraph', children: ['Awal'] }]) });
    await typeWords(core, id, writer, ['satu', 'dua', 'tiga', 'empat']);
    expect(rowCounts(profile.dir)).toMatchObject({ doc_updates: 0, doc_snapshots: 1 });
    const db = new Database(join(profile.dir, DATABASE_FILE), { readonly: true });
    const stored = (db.prepare('SELECT state FROM doc_snapshots').get() as { state: Buffer }).state;
    db.close();

    // Opened by two clients before core has built its own copy: both get the snapshot bytes.
    const [a, b] = [0, 1].map(() => {
      const [serverSide, clientSide] = createMemoryEndpointPair();
      core!.rpcServer.attach(serverSide);
      return createRpcClient<CoreServices, CoreEvents>(clientSide).services;
    }) as [CoreServices, CoreServices];
    const first = await a.docs.open({ storyId: id });
    const second = await b.docs.open({ storyId: id });
    expect(Buffer.from(first.state).equals(stored)).toBe(true);
    expect(Buffer.from(second.state).equals(stored)).toBe(true);

    const client = new Y.Doc();
    Y.applyUpdate(client, first.state);
    await typeWords(core, id, client, ['lima']);
    await a.docs.close({ storyId: id });
    expect(rowCounts(profile.dir).doc_updates).toBe(1); // one client still has it open
    await b.docs.close({ storyId: id });
    // The last close folds the tail in: the next open is one read of one snapshot.
    expect(rowCounts(profile.dir)).toMatchObject({ doc_updates: 0, doc_snapshots: 1 });
    core.close();

    core = openCore({ profileDir: profile.dir });
    const reopened = new Y.Doc();
    Y.applyUpdate(reopened, (await core.services.docs.open({ storyId: id })).state);
    expect(bodyPlainText(reopened)).toBe('Awal satu dua tiga empat lima');
    expect((await core.services.stories.get({ id })).wordCount).toBe(6);
  });

  it('refuses a push onto a stored snapshot that does not load as damaged, writing nothing but the flag', async () => {
    core = openCore({ profileDir: profile.dir, compactEvery: 2 });
    const { id } = await core.services.stories.create({});
    const writer = new Y.Doc();
    await core.services.docs.push({ storyId: id, update: writeStoryBody(writer, [{ type: 'paragraph', children: ['a'] }]) });
    await typeWords(core, id, writer, ['b']);
    core.close();
    const db = new Database(join(profile.dir, DATABASE_FILE));
    db.prepare('UPDATE doc_snapshots SET state = ?').run(Buffer.from([9, 9, 9, 9, 9]));
    db.close();

    core = openCore({ profileDir: profile.dir });
    await core.services.docs.open({ storyId: id });
    const more = editStoryBody(writer, () => {
      const last = $getRoot().getLastDescendant();
      if ($isTextNode(last)) last.setTextContent(`${last.getTextContent()} c`);
    });
    await expect(core.services.docs.push({ storyId: id, update: more })).rejects.toMatchObject({ code: 'story_damaged' });
    expect((await core.services.stories.get({ id })).damaged).toBe(true);
    // Known damaged now: refused before its bytes are read again.
    await expect(core.services.docs.open({ storyId: id })).rejects.toMatchObject({ code: 'story_damaged' });
    await expect(core.services.docs.push({ storyId: id, update: more })).rejects.toMatchObject({ code: 'story_damaged' });
    await core.services.docs.close({ storyId: id });
    core.close();
    core = undefined;
    expect(rowCounts(profile.dir)).toMatchObject({ doc_updates: 0, doc_snapshots: 1 });
    const after = new Database(join(profile.dir, DATABASE_FILE), { readonly: true });
    expect((after.prepare('SELECT state FROM doc_snapshots').get() as { state: Buffer }).state).toEqual(Buffer.from([9, 9, 9, 9, 9]));
    after.close();
  });

  it('opens a story that has no updates as an empty document', async () => {
    core = openCore({ profileDir: profile.dir });
    const { id } = await core.services.stories.create({});
    const { storyId, state } = await core.services.docs.open({ storyId: id });
    expect(storyId).toBe(id);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    expect(bodyPlainText(doc)).toBe('');
    expect(readMeta(doc).headline).toBe('');
  });

  it('indexes a push to a story nobody has open at once', async () => {
    core = openCore({ profileDir: profile.dir, indexDelayMs: 60_000 });
    const { id } = await core.services.stories.create({});
    await core.services.docs.push({ storyId: id, update: writeStoryBody(new Y.Doc(), sampleStoryBlocks(50)) });
    expect((await core.services.stories.get({ id })).wordCount).toBe(50);
    expect(rowCounts(profile.dir).stories_fts).toBe(1);
  });

  it('refreshes word count and FTS on close even before the throttle fires', async () => {
    core = openCore({ profileDir: profile.dir, indexDelayMs: 60_000 });
    const { id } = await core.services.stories.create({});
    const client = new Y.Doc();
    writeMetaText(client, 'headline', 'Banjir Jakarta');
    await core.services.docs.open({ storyId: id });
    await core.services.docs.push({ storyId: id, update: Y.encodeStateAsUpdate(client) });
    await core.services.docs.push({ storyId: id, update: writeStoryBody(client, sampleStoryBlocks(300)) });
    // Headline is immediate; word count waits for the (long) throttle.
    expect(await core.services.stories.get({ id })).toMatchObject({ headline: 'Banjir Jakarta', wordCount: 0 });
    await core.services.docs.close({ storyId: id });
    expect((await core.services.stories.get({ id })).wordCount).toBe(300);
    expect((await core.services.stories.search({ query: 'banjir' })).map((h) => h.id)).toEqual([id]);
  });

  it('refreshes a projection left stale by a killed process on the next start', async () => {
    core = openCore({ profileDir: profile.dir, indexDelayMs: 60_000 });
    const { id } = await core.services.stories.create({});
    const client = new Y.Doc();
    await core.services.docs.open({ storyId: id }); // open in an editor: indexing waits for the throttle
    await core.services.docs.push({ storyId: id, update: writeStoryBody(client, sampleStoryBlocks(120)) });
    const db = new Database(join(profile.dir, DATABASE_FILE));
    // Pushed, not yet indexed: this is what kill -9 leaves on disk.
    expect(db.prepare('SELECT word_count, index_stale FROM stories').get()).toEqual({ word_count: 0, index_stale: 1 });
    core.close();
    core = undefined;
    // (A clean close flushed it; put back the killed state.)
    db.prepare('UPDATE stories SET word_count = 0, index_stale = 1').run();
    db.prepare('DELETE FROM stories_fts').run();
    db.close();
    core = openCore({ profileDir: profile.dir });
    expect((await core.services.stories.get({ id })).wordCount).toBe(120);
    expect(rowCounts(profile.dir).stories_fts).toBe(1);
  });

  it('rejects garbage bytes and unknown stories without writing anything', async () => {
    core = openCore({ profileDir: profile.dir });
    const { id } = await core.services.stories.create({});
    const before = rowCounts(profile.dir);
    for (const garbage of [new Uint8Array([1, 2, 3]), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]), new TextEncoder().encode('hello world')]) {
      await expect(core.services.docs.push({ storyId: id, update: garbage })).rejects.toMatchObject({ code: 'invalid_input' });
    }
    await expect(core.services.docs.push({ storyId: crypto.randomUUID(), update: Y.encodeStateAsUpdate(new Y.Doc()) })).rejects.toBeInstanceOf(RpcError);
    await expect(core.services.docs.open({ storyId: crypto.randomUUID() })).rejects.toMatchObject({ code: 'not_found' });
    expect(rowCounts(profile.dir)).toEqual(before);
  });

  it('keeps the word count of a 20,000-word story', async () => {
    core = openCore({ profileDir: profile.dir, indexDelayMs: 5 });
    const { id } = await core.services.stories.create({});
    const client = new Y.Doc();
    await core.services.docs.push({ storyId: id, update: writeStoryBody(client, sampleStoryBlocks(20_000)) });
    core.flush();
    expect((await core.services.stories.get({ id })).wordCount).toBe(20_000);
    expect(countWords(bodyPlainText(client))).toBe(20_000);
  });
});

