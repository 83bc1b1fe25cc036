import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPhoto, setPhotoField } from '../doc/photos';
import { writeMetaText } from '../doc/metaText';
import { getMetaMap } from '../doc/storyDoc';
import { writeStoryBody } from '../editor/headless';
import { checklistPasses, evaluateChecklist, type ChecklistItem } from './checklist';

const SHA = 'a'.repeat(64);

/** A story that passes every blocking item: headline, dateline, rubrik, redaktur, a body. */
function completeStory(body = 'Harga cabai naik dua kali lipat menjelang akhir tahun.'): Y.Doc {
  const doc = new Y.Doc();
  writeMetaText(doc, 'headline', 'Harga Cabai Naik');
  const meta = getMetaMap(doc);
  meta.set('dateline', 'JAKARTA');
  meta.set('rubrikId', '11111111-1111-4111-8111-111111111111');
  meta.set('redakturId', '22222222-2222-4222-8222-222222222222');
  writeStoryBody(doc, [{ type: 'paragraph', children: [body] }]);
  return doc;
}

const byId = (items: ChecklistItem[]) => Object.fromEntries(items.map((i) => [i.id, i]));

describe('evaluateChecklist', () => {
  it('passes a complete story, listing every item once in a fixed order', () => {
    const items = evaluateChecklist(completeStory(), {});
    expect(items.map((i) => i.id)).toEqual(['headline', 'rubrik', 'redaktur', 'dateline', 'photo_credits', 'placeholders', 'length']);
    expect(items.every((i) => i.ok)).toBe(true);
    expect(checklistPasses(items)).toBe(true);
  });

  it('blocks on an empty story: headline, rubrik, redaktur and dateline each lead to their field', () => {
    const items = evaluateChecklist(new Y.Doc(), {});
    const failing = items.filter((i) => !i.ok);
    expect(failing.map((i) => [i.id, i.field, i.blocking])).toEqual([
      ['headline', 'headline', true],
      ['rubrik', 'rubrik', true],
      ['redaktur', 'redaktur', true],
      ['dateline', 'dateline', true],
    ]);
    expect(checklistPasses(items)).toBe(false);
  });

  it('a headline of spaces is no headline', () => {
    const doc = completeStory();
    writeMetaText(doc, 'headline', '   ');
    expect(byId(evaluateChecklist(doc)).headline!.ok).toBe(false);
  });

  it('blocks while any photo lacks a credit, and passes once every photo has one', () => {
    const doc = completeStory();
    const photo = { sha256: SHA, mime: 'image/jpeg', width: 10, height: 10, caption: 'Pasar', photographer: '', source: '', dateTaken: '' };
    addPhoto(doc, 'p1', { ...photo, credit: 'ANTARA/Ali' });
    addPhoto(doc, 'p2', { ...photo, credit: '  ' });
    let item = byId(evaluateChecklist(doc)).photo_credits!;
    expect(item).toMatchObject({ ok: false, blocking: true, field: 'photos', detail: '1/2' });
    setPhotoField(doc, 'p2', 'credit', 'KJ/Budi');
    item = byId(evaluateChecklist(doc)).photo_credits!;
    expect(item.ok).toBe(true);
  });

  it('finds a leftover TK or XXX in any text, as a whole upper-case word only', () => {
    const body = completeStory('Korban tewas TK orang, kata polisi.');
    expect(byId(evaluateChecklist(body)).placeholders).toMatchObject({ ok: false, blocking: true, field: 'body', detail: 'TK@body' });

    const lead = completeStory();
    writeMetaText(lead, 'lead', 'Menteri XXXX berkata');
    expect(byId(evaluateChecklist(lead)).placeholders).toMatchObject({ ok: false, detail: 'XXXX@lead', field: null });

    const headline = completeStory();
    writeMetaText(headline, 'headline', 'Banjir di XXX');
    expect(byId(evaluateChecklist(headline)).placeholders).toMatchObject({ ok: false, field: 'headline' });

    const caption = completeStory();
    addPhoto(caption, 'p1', { sha256: SHA, mime: 'image/jpeg', width: 1, height: 1, caption: 'Suasana TK', credit: 'KJ', photographer: '', source: '', dateTaken: '' });
    expect(byId(evaluateChecklist(caption)).placeholders).toMatchObject({ ok: false, field: 'photos' });

    // Not placeholders: lower case, inside a word, a TKI (migrant worker), two X.
    const clean = completeStory('tk itu singkatan; para TKI pulang; XX bukan tanda; TKP ramai.');
    expect(byId(evaluateChecklist(clean)).placeholders!.ok).toBe(true);
  });

  it('warns, never blocks, on a length far from the target', () => {
    const short = completeStory('Lima kata saja di sini.');
    const items = evaluateChecklist(short, { lengthTargetWords: 600 });
    expect(byId(items).length).toMatchObject({ ok: false, blocking: false, field: 'body', detail: '5/600' });
    expect(checklistPasses(items)).toBe(true);
    expect(byId(evaluateChecklist(short, { lengthTargetWords: 5 })).length!.ok).toBe(true);
  });

  it('takes the story’s own length target when none is given, and judges nothing without one', () => {
    const doc = completeStory('Lima kata saja di sini.');
    expect(byId(evaluateChecklist(doc, { lengthTargetWords: null })).length).toEqual({ id: 'length', ok: true, blocking: false, field: 'body' });
    getMetaMap(doc).set('lengthTarget', 800);
    expect(byId(evaluateChecklist(doc, { lengthTargetWords: null })).length).toMatchObject({ ok: false, detail: '5/800' });
  });
});
