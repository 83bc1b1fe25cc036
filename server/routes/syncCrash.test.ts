import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMetaMap } from '../../shared/doc/storyDoc';
import { readStoryBody, writeStoryBody } from '../../shared/editor/headless';
import { openDatabase } from '../db/openDatabase';
import { ClientStory, loginOver, postSync } from '../testing/httpClient';
import { startServerProcess } from '../testing/serverProcess';
import { createTestStorage, ENGINES, type TestStorage } from '../testing/testStorage';

/**
 * The server SIGKILLed after it persisted a sync request and before it answered (the
 * test-only fault RUANG_TEST_FAULT=kill-after-persist), then restarted: the client, which
 * never got its answer, sends the same request again. Nothing acknowledged is lost,
 * nothing is stored twice, no text doubles.
 */
describe.each(ENGINES)('a server killed between persisting and answering, on %s', (engine) => {
  let storage: TestStorage;
  beforeAll(async () => {
    storage = await createTestStorage(engine);
  }, 120_000);
  afterAll(async () => storage?.remove());

  it('the resend after the restart is idempotent and the story holds every word once', async () => {
    const story = new ClientStory(randomUUID());
    const paragraph1 = 'JAKARTA - Harga beras naik di pasar induk.';
    const paragraph2 = 'Pedagang menyebut pasokan dari Jawa Tengah berkurang.';

    // Acknowledged before the crash.
    const first = await startServerProcess(storage, { demo: true });
    const token = await loginOver(first.origin, 'penulis1');
    getMetaMap(story.doc).set('headline', 'Harga beras naik');
    writeStoryBody(story.doc, [{ type: 'paragraph', children: [paragraph1] }]);
    story.accept((await postSync(first.origin, token, [story.request()]))[0]);
    await first.stop();

    // Persisted, then killed before the answer.
    const faulty = await startServerProcess(storage, { env: { RUANG_TEST_FAULT: 'kill-after-persist' } });
    writeStoryBody(story.doc, [
      { type: 'paragraph', children: [paragraph1] },
      { type: 'paragraph', children: [paragraph2] },
    ]);
    const unanswered = story.request();
    await expect(postSync(faulty.origin, token, [unanswered])).rejects.toThrow();
    expect(await faulty.exit).toEqual({ code: null, signal: 'SIGKILL' });
    // It was persisted before the process died (the first push and this one).
    expect(await storedUpdates(story.id)).toBe(2);
    // The merged document syncs read from was written with it, in the same transaction.
    expect(await storedText(story.id)).toBe(readStoryBody(story.doc).text);

    // Restarted: the client resends what was never acknowledged, twice for good measure.
    const second = await startServerProcess(storage);
    for (let i = 0; i < 2; i++) {
      const [result] = await postSync(second.origin, token, [unanswered]);
      expect(result).toMatchObject({ ok: true });
      story.accept(result);
    }
    // Another client (the redaktur's empty copy, read as admin) gets the story with each paragraph once.
    const reader = new ClientStory(story.id);
    reader.accept((await postSync(second.origin, await loginOver(second.origin, 'admin'), [reader.request()]))[0]);
    expect(readStoryBody(reader.doc).text).toBe(readStoryBody(story.doc).text);
    expect(readStoryBody(reader.doc).text.split(paragraph2)).toHaveLength(2);
    expect(readStoryBody(reader.doc).text.split(paragraph1)).toHaveLength(2);
    expect(Y.encodeStateVector(reader.doc)).toEqual(Y.encodeStateVector(story.doc));
    await second.stop();

    // Still two: the resends added nothing.
    expect(await storedUpdates(story.id)).toBe(2);
    expect(await storedText(story.id)).toBe(readStoryBody(story.doc).text);
  }, 180_000);

  /** The body text of the story's stored document (stories.doc_state), read while no server runs. */
  async function storedText(storyId: string): Promise<string> {
    const opened = await openDatabase(storage.config);
    try {
      const [row] = await opened.db.query<{ doc_state: Uint8Array }>('SELECT doc_state FROM stories WHERE id = $1', [storyId]);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, new Uint8Array(row!.doc_state));
      return readStoryBody(doc).text;
    } finally {
      await opened.close();
    }
  }

  /** Rows in the story's update log, read while no server runs (PGlite allows one process). */
  async function storedUpdates(storyId: string): Promise<number> {
    const opened = await openDatabase(storage.config);
    try {
      const [row] = await opened.db.query<{ n: number }>('SELECT count(*)::int AS n FROM story_updates WHERE story_id = $1', [storyId]);
      return row!.n;
    } finally {
      await opened.close();
    }
  }
});
