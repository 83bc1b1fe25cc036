import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { hasLegacyMeta, upgradeLegacyMeta, upgradeLegacyMetaText, writeMetaText } from './metaText';
import { getMetaMap, getMetaText, readMeta, readMetaText } from './storyDoc';

/** Both docs send each other what the other lacks, like two offline clients meeting. */
function exchange(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** A story as written before prose fields were collaborative: plain strings in the meta map. */
function oldShapeStory(): Y.Doc {
  const doc = new Y.Doc();
  const meta = getMetaMap(doc);
  meta.set('headline', 'Harga Beras Naik');
  meta.set('lead', 'Harga beras di Pasar Induk naik.');
  meta.set('dateline', 'JAKARTA');
  meta.set('tags', ['ekonomi']);
  return doc;
}

describe('prose meta fields are collaborative text', () => {
  it('two clients editing the lead offline both keep their words', () => {
    const a = new Y.Doc();
    writeMetaText(a, 'lead', 'Harga beras naik.');
    const b = copyOf(a);

    writeMetaText(a, 'lead', 'Harga beras naik tajam.');
    writeMetaText(b, 'lead', 'Kemarin harga beras naik.');
    exchange(a, b);

    expect(readMeta(a).lead).toBe('Kemarin harga beras naik tajam.');
    expect(readMeta(b).lead).toBe(readMeta(a).lead);
    expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
  });

  it('two brand-new documents that each typed a headline merge instead of one replacing the other', () => {
    // The creation race a Y.Text inside the meta map would lose: each client creating it.
    const a = new Y.Doc();
    const b = new Y.Doc();
    writeMetaText(a, 'headline', 'Banjir');
    writeMetaText(b, 'headline', 'Rob');
    exchange(a, b);
    const merged = readMeta(a).headline;
    expect(merged).toBe(readMeta(b).headline);
    expect(merged).toContain('Banjir');
    expect(merged).toContain('Rob');
  });

  it('writes an edit as the smallest change, so an emoji stays whole', () => {
    const doc = new Y.Doc();
    writeMetaText(doc, 'kicker', 'Senang 😀');
    writeMetaText(doc, 'kicker', 'Senang 😃');
    expect(readMeta(doc).kicker).toBe('Senang 😃');
  });
});

describe('stories in the old shape', () => {
  it('reads old-style strings as they are', () => {
    const doc = oldShapeStory();
    expect(readMeta(doc)).toMatchObject({ headline: 'Harga Beras Naik', lead: 'Harga beras di Pasar Induk naik.', subheadline: '', dateline: 'JAKARTA' });
  });

  it('upgrading moves every string into its text, changing nothing a reader sees', () => {
    const doc = oldShapeStory();
    const before = readMeta(doc);
    const update = upgradeLegacyMeta(doc);
    expect(update).toBeInstanceOf(Uint8Array);
    expect(readMeta(doc)).toEqual(before);
    expect(getMetaText(doc, 'headline').toString()).toBe('Harga Beras Naik');
    expect(getMetaText(doc, 'lead').toString()).toBe('Harga beras di Pasar Induk naik.');
    expect(getMetaMap(doc).has('headline')).toBe(false);
    expect(getMetaMap(doc).get('dateline')).toBe('JAKARTA'); // plain fields stay plain
    expect(hasLegacyMeta(doc)).toBe(false);
    expect(upgradeLegacyMeta(doc)).toBeNull(); // idempotent

    // The update alone carries the upgrade to another copy of the old story.
    const other = oldShapeStory();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    expect(readMeta(other)).toEqual(before);
  });

  it('two copies upgrading the same story independently do not double its headline', () => {
    const original = oldShapeStory();
    const a = copyOf(original);
    const b = copyOf(original);
    upgradeLegacyMeta(a);
    upgradeLegacyMeta(b);
    writeMetaText(b, 'lead', 'Harga beras di Pasar Induk naik lagi.');
    exchange(a, b);
    expect(readMeta(a).headline).toBe('Harga Beras Naik');
    expect(readMeta(a).lead).toBe('Harga beras di Pasar Induk naik lagi.');
    expect(readMeta(b)).toEqual(readMeta(a));
  });

  it('two copies whose old strings differed keep both versions', () => {
    const original = oldShapeStory();
    const a = copyOf(original);
    const b = copyOf(original);
    getMetaMap(a).set('headline', 'Beras Naik');
    getMetaMap(b).set('headline', 'Cabai Naik');
    // Upgraded apart (each before seeing the other's string), then they meet.
    upgradeLegacyMeta(a);
    upgradeLegacyMeta(b);
    exchange(a, b);
    const merged = readMeta(a).headline;
    expect(merged).toBe(readMeta(b).headline);
    expect(merged).toContain('Beras Naik');
    expect(merged).toContain('Cabai Naik');
  });

  it('an old-style string that arrives after the upgrade (an older renderer’s unsent edit) wins and is folded in by the smallest edit', () => {
    const oldClient = oldShapeStory();
    const upgraded = copyOf(oldClient);
    upgradeLegacyMeta(upgraded);
    // The older client edits its lead after the store was upgraded, and its update arrives late.
    const beforeEdit = Y.encodeStateVector(oldClient);
    getMetaMap(oldClient).set('lead', 'Harga beras di Pasar Induk naik pekan ini.');
    Y.applyUpdate(upgraded, Y.encodeStateAsUpdate(oldClient, beforeEdit));

    expect(readMetaText(upgraded, 'lead')).toBe('Harga beras di Pasar Induk naik pekan ini.');
    expect(upgradeLegacyMetaText(upgraded, 'lead')).toBe(true);
    expect(getMetaText(upgraded, 'lead').toString()).toBe('Harga beras di Pasar Induk naik pekan ini.');
    expect(getMetaMap(upgraded).has('lead')).toBe(false);
  });

  it('an empty old-style string (a cleared field) reads and upgrades as empty', () => {
    const doc = new Y.Doc();
    writeMetaText(doc, 'subheadline', 'Sementara');
    getMetaMap(doc).set('subheadline', '');
    expect(readMeta(doc).subheadline).toBe('');
    upgradeLegacyMeta(doc);
    expect(getMetaText(doc, 'subheadline').toString()).toBe('');
  });
});
