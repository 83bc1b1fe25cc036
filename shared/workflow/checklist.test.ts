import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPhoto } from '../doc/photos';
import { getMetaMap, getMetaText } from '../doc/storyDoc';
import { writeStoryBody } from '../editor/headless';
import { blockingFailureCodes, DEFAULT_LENGTH_TARGET, lengthTargetFor, runChecklist } from './checklist';

const SHA = 'a'.repeat(64);

/** A story that passes every blocking item: headline, rubrik, redaktur, dateline, credited photo, clean text. */
function readyStory(bodyWords = 600): Y.Doc {
  const doc = new Y.Doc();
  getMetaText(doc, 'headline').insert(0, 'Produksi Mobil Listrik Naik');
  const meta = getMetaMap(doc);
  meta.set('rubrikId', 'otomotif');
  meta.set('redakturId', 'r1');
  meta.set('dateline', 'JAKARTA');
  addPhoto(doc, 'p1', { sha256: SHA, mime: 'image/jpeg', width: 10, height: 10, caption: 'Pabrik', credit: 'Foto : Istimewa', photographer: '', source: '', dateTaken: '' });
  writeStoryBody(doc, [{ type: 'paragraph', children: [Array.from({ length: bodyWords }, () => 'kata').join(' ')] }]);
  return doc;
}

describe('pre-submit checklist', () => {
  it('a ready story passes every blocking item, each item naming the field it leads to', () => {
    const result = runChecklist(readyStory());
    expect(result.blocking).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.items.map((i) => [i.id, i.severity, i.field])).toEqual([
      ['headline', 'blocking', 'headline'],
      ['rubrik', 'blocking', 'rubrik'],
      ['redaktur', 'blocking', 'redaktur'],
      ['dateline', 'blocking', 'dateline'],
      ['photo_credit', 'blocking', 'photo'],
      ['placeholder', 'blocking', 'body'],
      ['length', 'warning', 'body'],
    ]);
  });

  it('an empty story blocks on headline, rubrik, redaktur and dateline', () => {
    const result = runChecklist(new Y.Doc());
    expect(blockingFailureCodes(result)).toEqual(['headline', 'rubrik', 'redaktur', 'dateline']);
  });

  it('a photo without a credit blocks, and names the photo', () => {
    const doc = readyStory();
    addPhoto(doc, 'p2', { sha256: 'b'.repeat(64), mime: 'image/jpeg', width: 10, height: 10, caption: 'Tanpa kredit', credit: '  ', photographer: '', source: '', dateTaken: '' });
    const result = runChecklist(doc);
    expect(result.blocking).toEqual([{ id: 'photo_credit', severity: 'blocking', ok: false, field: 'photo', photoId: 'p2' }]);
    expect(blockingFailureCodes(result)).toEqual(['photo_credit:p2']);
  });

  it.each([
    ['TK in the body', (doc: Y.Doc) => writeStoryBody(doc, [{ type: 'paragraph', children: ['Jumlah korban TK orang.'] }]), 'placeholder:body'],
    ['XXX in the lead', (doc: Y.Doc) => getMetaText(doc, 'lead').insert(0, 'Harga naik XXX persen'), 'placeholder:lead'],
    ['XXXX in the headline', (doc: Y.Doc) => getMetaText(doc, 'headline').insert(0, 'XXXX '), 'placeholder:headline'],
    ['TK in a caption', (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('photos').get('p1')!.set('caption', 'Lokasi TK'), 'placeholder:photo:p1'],
  ])('a leftover placeholder blocks: %s', (_label, edit, code) => {
    const doc = readyStory();
    edit(doc);
    expect(blockingFailureCodes(runChecklist(doc))).toEqual([code]);
  });

  it('words that merely contain the letters, or lower case, are not placeholders', () => {
    const doc = readyStory(0);
    writeStoryBody(doc, [{ type: 'paragraph', children: ['Kantor TKI, tk kecil, XX, XXL, TKP dan SMATK.'] }]);
    expect(runChecklist(doc).blocking).toEqual([]);
  });

  it('warns (without blocking) when the body is far from the length target', () => {
    const short = runChecklist(readyStory(100));
    expect(short.blocking).toEqual([]);
    expect(short.warnings).toEqual([{ id: 'length', severity: 'warning', ok: false, field: 'body', words: 100, target: DEFAULT_LENGTH_TARGET }]);
    expect(runChecklist(readyStory(1000)).warnings).toHaveLength(1);
    expect(runChecklist(readyStory(650)).warnings).toEqual([]);
  });

  it('the length target: the story\'s own, else the nearest rubrik with one, else the default', () => {
    expect(lengthTargetFor({ lengthTarget: 900 }, { rubrikPath: ['Kupas'] })).toBe(900);
    expect(lengthTargetFor({ lengthTarget: null }, { rubrikPath: ['Perspektif', 'Surat Pembaca'] })).toBe(250);
    expect(lengthTargetFor({ lengthTarget: null }, { rubrikPath: ['Ekonomi', 'Industri', 'Otomotif'] })).toBe(600);
    expect(lengthTargetFor({ lengthTarget: null }, { rubrikPath: ['Foto'] })).toBe(150);
    expect(lengthTargetFor({ lengthTarget: null })).toBe(DEFAULT_LENGTH_TARGET);
    const doc = readyStory(150);
    expect(runChecklist(doc, { rubrikPath: ['Foto'] }).warnings).toEqual([]);
  });
});
