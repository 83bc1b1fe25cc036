import * as Y from 'yjs';
import { openCore, type Core } from '../../electron/core/core';
import { writeMetaText } from '../../shared/doc/metaText';
import { writeStoryBody, type BodyBlock } from '../../shared/editor/headless';
import type { LongStory } from './storyFixture';
import { shortStory } from './storyFixture';

/**
 * Seeds a profile through core's real services, in this process, before web mode opens it
 * (the core is closed again first: one core per profile). Bodies are written by the
 * headless editor, so they are exactly what the editor itself would have stored.
 */

function storyUpdate(headline: string, paragraphs: readonly string[]): Uint8Array {
  const doc = new Y.Doc();
  try {
    writeMetaText(doc, 'headline', headline);
    const blocks: BodyBlock[] = paragraphs.map((p) => ({ type: 'paragraph', children: [p] }));
    writeStoryBody(doc, blocks);
    return Y.encodeStateAsUpdate(doc);
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

/**
 * `copies` stories with the same long body (identical document bytes), so each open run
 * can open one core has not loaded yet. Returns their ids and the bytes core hands to an
 * editor that opens one of them.
 */
export async function seedLongStory(
  profileDir: string,
  story: LongStory,
  copies = 1,
): Promise<{ storyIds: string[]; state: Uint8Array }> {
  return withCore(profileDir, async ({ services }) => {
    const update = storyUpdate(story.headline, story.paragraphs);
    const storyIds: string[] = [];
    for (let i = 0; i < copies; i++) {
      const { id } = await services.stories.create({});
      await services.docs.push({ storyId: id, update });
      storyIds.push(id);
    }
    const { state } = await services.docs.open({ storyId: storyIds[0]! });
    await services.docs.close({ storyId: storyIds[0]! });
    return { storyIds, state };
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
