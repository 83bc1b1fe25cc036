import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeMetaText } from '../../../shared/doc/metaText';
import { writeStoryBody, type BodyBlock } from '../../../shared/editor/headless';
import { openCore, type Core } from '../core';
import { tempProfile } from '../testing/tempProfile';

let profile: ReturnType<typeof tempProfile>;
let core: Core;
let clock: number;
beforeEach(() => {
  profile = tempProfile();
  clock = 1_800_000_000_000;
  core = openCore({ profileDir: profile.dir, indexDelayMs: 1, now: () => (clock += 1000) });
});
afterEach(() => {
  core.close();
  profile.remove();
});

async function story(headline: string, body: BodyBlock[] = []): Promise<string> {
  const { id } = await core.services.stories.create({});
  const doc = new Y.Doc();
  writeMetaText(doc, 'headline', headline);
  if (body.length) writeStoryBody(doc, body);
  await core.services.docs.push({ storyId: id, update: Y.encodeStateAsUpdate(doc) });
  return id;
}
const para = (text: string): BodyBlock => ({ type: 'paragraph', children: [text] });

describe('stories: list and trash', () => {
  it('lists newest first with a total, pages with limit/offset, and hides the trash', async () => {
    const a = await story('Satu');
    const b = await story('Dua');
    const c = await story('Tiga');
    core.flush();
    const all = await core.services.stories.list({});
    expect(all.items.map((s) => s.id)).toEqual([c, b, a]);
    expect(all.total).toBe(3);
    expect(all.items[0]).toMatchObject({ headline: 'Tiga', status: 'draft', deletedAt: null, wordCount: 0 });

    const page = await core.services.stories.list({ limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 3, items: [{ id: b }] });

    await core.services.stories.delete({ id: b });
    expect((await core.services.stories.list({})).items.map((s) => s.id)).toEqual([c, a]);
    const trash = await core.services.stories.list({ trash: true });
    expect(trash.items.map((s) => s.id)).toEqual([b]);
    expect(trash.items[0]!.deletedAt).toEqual(expect.any(Number));
    expect((await core.services.stories.get({ id: b })).deletedAt).not.toBeNull();

    const restored = await core.services.stories.restore({ id: b });
    expect(restored.deletedAt).toBeNull();
    expect((await core.services.stories.list({})).total).toBe(3);
    expect((await core.services.stories.list({ status: 'draft' })).total).toBe(3);
    expect((await core.services.stories.list({ status: 'approved' })).total).toBe(0);
  });

  it('answers not_found for a story that does not exist', async () => {
    const id = crypto.randomUUID();
    await expect(core.services.stories.get({ id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.services.stories.delete({ id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.services.stories.restore({ id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('starts with uiLanguage id and remembers a change', async () => {
    expect(await core.services.settings.getAll({})).toEqual({ uiLanguage: 'id', maxPhotoMegabytes: 50 });
    expect(await core.services.settings.set({ key: 'uiLanguage', value: 'en' })).toEqual({ uiLanguage: 'en', maxPhotoMegabytes: 50 });
    core.close();
    core = openCore({ profileDir: profile.dir });
    expect(await core.services.settings.getAll({})).toEqual({ uiLanguage: 'en', maxPhotoMegabytes: 50 });
  });
});

describe('stories: full-text search', () => {
  let banjir: string;
  let cabai: string;
  beforeEach(async () => {
    banjir = await story('Banjir rendam Jakarta Utara', [para('Ribuan warga mengungsi setelah hujan deras semalaman.'), { type: 'page-break' }, para('Pompa air dikerahkan.')]);
    cabai = await story('Harga cabai melonjak', [para('Pedagang di Pasar Induk Kramat Jati mengeluhkan pasokan yang seret.')]);
    await story('Rapat anggaran', [para('DPR membahas anggaran pendidikan.')]);
    core.flush();
  });

  const ids = async (query: string) => (await core.services.stories.search({ query })).map((h) => h.id);

  it('finds by a body word, by headline and by prefix, case-insensitively', async () => {
    expect(await ids('mengungsi')).toEqual([banjir]);
    expect(await ids('pompa')).toEqual([banjir]); // after the page break
    expect(await ids('Cabai')).toEqual([cabai]);
    expect(await ids('krama')).toEqual([cabai]);
    expect(await ids('har cab')).toEqual([cabai]);
    expect(await ids('cabai banjir')).toEqual([]);
  });

  it('returns a snippet with the match marked', async () => {
    const [hit] = await core.services.stories.search({ query: 'pasokan' });
    expect(hit).toMatchObject({ id: cabai, headline: 'Harga cabai melonjak' });
    expect(hit!.snippet).toContain('[[pasokan]]');
  });

  it('never fails on quotes, operators or stars', async () => {
    for (const q of ['"', '""', '"banjir', 'banjir"', 'NEAR', 'NEAR(banjir cabai)', '*', 'banjir*', 'a OR b', 'NOT', 'AND', '(', ')', 'headline:banjir', "'; DROP TABLE stories; --", '^', '-', '\u0000', '  ', 'ü', '🙂']) {
      await expect(core.services.stories.search({ query: q })).resolves.toBeInstanceOf(Array);
    }
    expect(await ids('"banjir')).toEqual([banjir]);
    expect(await ids('banjir*')).toEqual([banjir]);
    expect(await ids('headline:banjir')).toEqual([]); // "headline" is a word here, not a column filter
  });

  it('leaves the trash out, and finds a restored story again', async () => {
    await core.services.stories.delete({ id: banjir });
    expect(await ids('banjir')).toEqual([]);
    await core.services.stories.restore({ id: banjir });
    expect(await ids('banjir')).toEqual([banjir]);
  });

  it('follows edits: the old text is no longer found', async () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await core.services.docs.open({ storyId: cabai })).state);
    const update = writeStoryBody(doc, [para('Kini pasokan bawang yang seret.')]);
    await core.services.docs.push({ storyId: cabai, update });
    await core.services.docs.close({ storyId: cabai });
    expect(await ids('kramat')).toEqual([]);
    expect(await ids('bawang')).toEqual([cabai]);
  });
});
