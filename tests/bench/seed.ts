import * as Y from 'yjs';
import { openCore, type Core } from '../../electron/core/core';
import { getMetaMap } from '../../shared/doc/storyDoc';
import { writeStoryBody, type BodyBlock } from '../../shared/editor/headless';
import type { LongStory } from './storyFixture';
import { shortStory } from './storyFixture';

/**
 * Seeds a profile through core's real services, in this process, before web mode opens it
 * (the core is closed again first: one core per profile). Bodies are written by the
 * headless editor, so they are exactly what the editor itself would have stored.
 */

function storyUpdate(headline: string, paragraphs: readonly string[]): Uint8Array<ArrayBuffer> {
  const doc = new Y.Doc();
  try {
    getMetaMap(doc).set('headline', headline);
    const blocks: BodyBlock[] = paragraphs.map((p) => ({ type: 'paragraph', children: [p] }));
    writeStoryBody(doc, blocks);
    // A copy on its own ArrayBuffer: the RPC schema takes Uint8Array<ArrayBuffer>.
    return new Uint8Array(Y.encodeStateAsUpdate(doc));
  } finally {
    doc.destroy();
  }
}

async function withCore<T>(profileDir: string, use: (core: Core) => Promise<T>): Promise<T> {
  const core = openCore({ profileDir });
  try {
    return await use(core);
  } finally {
    core.close();
  }
}

/** One long story; returns the document bytes core hands to an editor that opens it. */
export async function seedLongStory(profileDir: string, story: LongStory): Promise<{ storyId: string; state: Uint8Array }> {
  return withCore(profileDir, async ({ services }) => {
    const { id } = await services.stories.create({});
    await services.docs.push({ storyId: id, update: storyUpdate(story.headline, story.paragraphs) });
    const { state } = await services.docs.open({ storyId: id });
    await services.docs.close({ storyId: id });
    return { storyId: id, state };
  });
}

/** `count` stories with headlines and short bodies. */
export async function seedManyStories(profileDir: string, count: number): Promise<void> {
  await withCore(profileDir, async ({ services }) => {
    for (let i = 0; i < count; i++) {
      const s = shortStory(i);
      const { id } = await services.stories.create({});
      await services.docs.push({ storyId: id, update: storyUpdate(s.headline, s.paragraphs) });
      // Let core's index timers run now and then, so 10,000 documents are not all held at once.
      if (i % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 0));
    }
  });
}
