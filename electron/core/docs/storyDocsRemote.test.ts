import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMetaMap, readMeta } from '../../../shared/doc/storyDoc';
import type { StorySummary } from '../../../shared/domain/story';
import { readStoryBody, writeStoryBody } from '../../../shared/editor/headless';
import type { RpcCaller } from '../../../shared/rpc/server';
import { openDatabase } from '../db/openDatabase';
import { StoryRepository } from '../stories/storyRepository';
import { tempProfile } from '../testing/tempProfile';
import { StoryDocs } from './storyDocs';

/** What the sync engine needs of StoryDocs: reading a story aside, applying the server's changes, core's own edits. */
let profile: ReturnType<typeof tempProfile>;
let db: Database.Database;
let stories: StoryRepository;
let docs: StoryDocs;
let remote: Array<{ storyId: string; update: Uint8Array; holders: string[] }>;
let changed: StorySummary[];
let storyId: string;

const windowCaller = (id: string): RpcCaller => ({ id, detached: false, onDetach: () => () => {} });
const row = () => db.prepare('SELECT dirty, local_rev, updated_at FROM stories WHERE id = ?').get(storyId) as { dirty: number; local_rev: number; updated_at: number };
const logRows = () => db.prepare('SELECT count(*) FROM doc_updates').pluck().get() as number;

beforeEach(() => {
  profile = tempProfile();
  db = openDatabase(join(profile.dir, 'core.db'));
  stories = new StoryRepository(db);
  remote = [];
  changed = [];
  docs = new StoryDocs(db, stories, { indexDelayMs: 60_000, onRemoteUpdate: (e) => remote.push(e), onStoryChanged: (s) => changed.push(s) });
  storyId = stories.insert('5a3f0c2e-8d1b-4c7a-9e2f-0b1c2d3e4f50', 1).id;
  docs.push(storyId, writeStoryBody(new Y.Doc(), [{ type: 'paragraph', children: ['Tulisan lokal.'] }]));
  db.prepare('UPDATE stories SET dirty = 0').run();
  changed.length = 0;
});
afterEach(() => {
  docs.closeAll();
  db.close();
  profile.remove();
});

/** An update made elsewhere on top of the story's current state. */
function serverEdit(edit: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, docs.stateOf(storyId));
  const before = Y.encodeStateVector(doc);
  edit(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

it('applyRemote persists the change, is not a local change, and reaches only the windows holding the story', () => {
  const revBefore = row().local_rev;
  const update = serverEdit((doc) => getMetaMap(doc).set('dateline', 'BANDUNG'));
  expect(docs.applyRemote(storyId, update)).toBe(true);
  expect(row()).toMatchObject({ dirty: 0, local_rev: revBefore });
  expect(remote).toEqual([]); // nobody has it open
  expect(changed.map((s) => s.id)).toEqual([storyId]);

  docs.open(storyId, windowCaller('w1'));
  docs.open(storyId, windowCaller('w2'));
  const second = serverEdit((doc) => getMetaMap(doc).set('slug', 'banjir'));
  expect(docs.applyRemote(storyId, second)).toBe(true);
  expect(remote).toHaveLength(1);
  expect(remote[0]!.holders.sort()).toEqual(['w1', 'w2']);
  expect(remote[0]!.update).toEqual(second);
  expect(row().dirty).toBe(0);

  // Sent again (a lost answer, a replayed batch): nothing written, nobody told.
  const rows = logRows();
  expect(docs.applyRemote(storyId, second)).toBe(false);
  expect(logRows()).toBe(rows);
  expect(remote).toHaveLength(1);

  // Survives a restart.
  docs.closeAll();
  docs = new StoryDocs(db, stories);
  const reread = new Y.Doc();
  Y.applyUpdate(reread, docs.stateOf(storyId));
  expect(readMeta(reread)).toMatchObject({ dateline: 'BANDUNG', slug: 'banjir' });
  expect(readStoryBody(reread).text).toBe('Tulisan lokal.');
});

it('a local push makes the story dirty and counts a local revision', () => {
  const before = row().local_rev;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, docs.stateOf(storyId));
  const sv = Y.encodeStateVector(doc);
  getMetaMap(doc).set('slug', 'lokal');
  docs.push(storyId, Y.encodeStateAsUpdate(doc, sv));
  expect(row()).toMatchObject({ dirty: 1, local_rev: before + 1 });
});

it('stateOf reads a story without holding it; change() is a local change that open windows receive', () => {
  const state = docs.stateOf(storyId);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  expect(readStoryBody(doc).text).toBe('Tulisan lokal.');

  docs.open(storyId, windowCaller('w1'));
  expect(docs.change(storyId, (live) => getMetaMap(live).set('penulisIds', ['u1']))).toBe(true);
  expect(row().dirty).toBe(1);
  expect(remote.map((r) => r.holders)).toEqual([['w1']]);
  const window = new Y.Doc();
  Y.applyUpdate(window, state);
  Y.applyUpdate(window, remote[0]!.update);
  expect(readMeta(window).penulisIds).toEqual(['u1']);
  // A change that changes nothing writes nothing.
  const rows = logRows();
  expect(docs.change(storyId, () => {})).toBe(false);
  expect(logRows()).toBe(rows);
});

it('the list shows rubrik, redaktur and byline read from the meta map', () => {
  docs.push(storyId, serverEdit((doc) => getMetaMap(doc).set('rubrikId', 'r1')));
  docs.push(storyId, serverEdit((doc) => {
    getMetaMap(doc).set('redakturId', 'u9');
    getMetaMap(doc).set('penulisIds', ['u1', 'u2']);
  }));
  expect(stories.summaryById(storyId)).toMatchObject({ rubrikId: 'r1', redakturId: 'u9', penulisIds: ['u1', 'u2'], syncState: 'local', conflictOf: null });
});
