import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openCore, type Core } from '../../electron/core/core';
import { tempProfile } from '../../electron/core/testing/tempProfile';
import { writeMetaText } from '../../shared/doc/metaText';
import { readMeta } from '../../shared/doc/storyDoc';
import { MetaTextBinding } from '../../renderer/src/editor/metaTextBinding';
import { FakeInput } from '../support/fakeTextField';

/**
 * The case end to end, short of a browser: two windows have the same story open,
 * both type into its lead while neither sees the other (offline, or core not relaying),
 * through the same binding the editor's inputs use, and push to a real core. Core, and each
 * window once it hears from core again, ends up with both people's words.
 */

let profile: ReturnType<typeof tempProfile>;
let core: Core;
beforeEach(() => {
  profile = tempProfile();
  core = openCore({ profileDir: profile.dir, indexDelayMs: 1 });
});
afterEach(() => {
  core.close();
  profile.remove();
});

/** One editor window: its Y.Doc, the lead input bound to it, pushes of local edits like the session's queue. */
async function openWindow(storyId: string) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await core.services.docs.open({ storyId })).state, 'core');
  const lead = new FakeInput();
  const binding = new MetaTextBinding(doc, 'lead', lead, () => true);
  const unsent: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'core') unsent.push(update);
  });
  return {
    doc,
    lead,
    /** Selects [at, end) (a caret when end is left out) and types `text` over it. */
    type(at: number, text: string, end = at) {
      lead.setSelectionRange(at, end);
      for (const ch of Array.from(text)) {
        lead.type(ch);
        binding.input();
      }
    },
    async push() {
      const batch = Y.mergeUpdates(unsent.splice(0));
      await core.services.docs.push({ storyId, update: batch });
    },
    /** What the session does after a reconnect: merge core's state. */
    async resync() {
      Y.applyUpdate(doc, (await core.services.docs.open({ storyId })).state, 'core');
      await core.services.docs.close({ storyId });
    },
  };
}

describe('two windows editing one lead', () => {
  it('keeps both words, in core and in both windows', async () => {
    const { id: storyId } = await core.services.stories.create({});
    const seed = new Y.Doc();
    writeMetaText(seed, 'headline', 'Banjir Rob');
    writeMetaText(seed, 'lead', 'Air laut pasang merendam rumah warga.');
    await core.services.docs.push({ storyId, update: Y.encodeStateAsUpdate(seed) });

    const reporter = await openWindow(storyId);
    const editor = await openWindow(storyId);
    expect(reporter.lead.value).toBe('Air laut pasang merendam rumah warga.');

    // Both type at once, unaware of each other.
    reporter.type(25, 'ratusan '); // "... merendam ratusan rumah warga."
    editor.type(0, 'Kamis pagi, ');
    editor.type(12, 'a', 13); // "Air" → "air" after the new opening words
    await editor.push();
    await reporter.push();

    const both = 'Kamis pagi, air laut pasang merendam ratusan rumah warga.';
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await core.services.docs.open({ storyId })).state);
    expect(readMeta(stored).lead).toBe(both);
    expect(readMeta(stored).headline).toBe('Banjir Rob');
    expect((await core.services.stories.get({ id: storyId })).headline).toBe('Banjir Rob');

    // Each window hears from core again: both show both words, each caret where its owner left it.
    const reporterCaret = reporter.lead.selectionStart!;
    await reporter.resync();
    await editor.resync();
    expect(reporter.lead.value).toBe(both);
    expect(editor.lead.value).toBe(both);
    expect(reporter.lead.selectionStart).toBe(reporterCaret + 'Kamis pagi, '.length);
    expect(editor.lead.selectionStart).toBe(13);
    expect(Y.encodeStateVector(reporter.doc)).toEqual(Y.encodeStateVector(editor.doc));
  });
});
