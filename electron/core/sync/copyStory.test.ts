import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMetaMap, getMetaText, getPhotosMap, readMeta } from '../../../shared/doc/storyDoc';
import { readStoryBody, writeStoryBody } from '../../../shared/editor/headless';
import { copyStoryDoc } from './copyStory';

it('a salinan konflik is a fresh document that reads exactly like the original: body as Lexical sees it, meta, photos', () => {
  const original = new Y.Doc();
  writeStoryBody(original, [
    { type: 'heading', tag: 'h2', children: ['Banjir rob'] },
    { type: 'paragraph', children: ['JAKARTA - Air laut ', { text: 'merendam', format: ['bold'] }, ' ', { text: 'kawasan pesisir', href: 'https://koran-jakarta.com' }, '.'] },
    { type: 'list', listType: 'bullet', items: [['Muara Angke'], ['Pluit']] },
    { type: 'page-break' },
    { type: 'quote', children: ['"Kami mengungsi," kata warga.'] },
  ]);
  original.transact(() => {
    getMetaText(original, 'headline').insert(0, 'Banjir rob di pesisir utara');
    getMetaText(original, 'lead').insert(0, 'Ratusan rumah terendam.');
    getMetaMap(original).set('dateline', 'JAKARTA');
    getMetaMap(original).set('tags', ['banjir', 'rob']);
    getMetaMap(original).set('penulisIds', ['u1']);
    const photo = new Y.Map<unknown>();
    getPhotosMap(original).set('p1', photo);
    photo.set('caption', 'Warga mengungsi');
    photo.set('credit', 'Foto : Istimewa');
  });

  const copy = copyStoryDoc(original);
  // Read back from its bytes alone, as the copy's own story will be.
  const stored = new Y.Doc();
  Y.applyUpdate(stored, Y.encodeStateAsUpdate(copy));

  expect(readStoryBody(stored).json).toEqual(readStoryBody(original).json);
  expect(readMeta(stored)).toEqual(readMeta(original));
  expect(getPhotosMap(stored).toJSON()).toEqual({ p1: { caption: 'Warga mengungsi', credit: 'Foto : Istimewa' } });
  // None of the original's history: every item is the copy's own.
  expect([...stored.store.clients.keys()]).toEqual([copy.clientID]);
});
