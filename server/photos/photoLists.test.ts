import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPhoto } from '../../shared/doc/photos';
import { getMetaMap } from '../../shared/doc/storyDoc';
import { MIGRATIONS } from '../db/migrations';
import { openDatabase } from '../db/openDatabase';
import { DEMO_PASSWORD } from '../demo/demoData';
import { seedDemo } from '../demo/seedDemo';
import { serve } from '../serve';
import { NEXT_CHANGE_SEQ } from '../stories/changeOrder';
import { TEST_PASSWORD_COST } from '../testing/testServer';
import { createTestStorage, ENGINES, type TestStorage } from '../testing/testStorage';
import { fillMissingPhotoLists } from './photoLists';

const hex = (c: string) => c.repeat(64);

describe.each(ENGINES)('photo access on a database from before migration 0008 (%s)', (engine) => {
  let storage: TestStorage;
  afterEach(async () => storage?.remove());

  it('records the senders of originals as uploaders, and fills the photo lists of the stories already there at start', async () => {
    storage = await createTestStorage(engine);
    const before = MIGRATIONS.findIndex((m) => m.id === '20261202_0008_photo_access');
    expect(before).toBeGreaterThan(0);
    const old = await openDatabase(storage.config, MIGRATIONS.slice(0, before));
    await seedDemo(old.db, { passwordCost: TEST_PASSWORD_COST });
    const users = new Map((await old.db.query<{ id: string; username: string }>('SELECT id, username FROM users')).map((u) => [u.username, u.id]));
    const at = new Date(Date.UTC(2026, 11, 1));
    const p1 = users.get('penulis1')!;
    const p2 = users.get('penulis2')!;
    await old.db.query('INSERT INTO photos (sha256, uploaded_by, created_at) VALUES ($1, $2, $3)', [hex('a'), p2, at]);
    // penulis2 sent the web rendition first, penulis1 the original: only the original proves holding the photo.
    await old.db.query(
      `INSERT INTO photo_files (sha256, variant, file_sha256, mime, byte_size, storage_key, uploaded_by, upload_id, created_at)
       VALUES ($1, 'web', $2, 'image/jpeg', 10, 'k1', $3, NULL, $5), ($1, 'original', $1, 'image/jpeg', 20, 'k2', $4, NULL, $5)`,
      [hex('a'), hex('b'), p2, p1, at],
    );
    const doc = new Y.Doc({ gc: false });
    getMetaMap(doc).set('penulisIds', [p1]);
    getMetaMap(doc).set('redakturId', users.get('redaktur1')!);
    addPhoto(doc, randomUUID(), { sha256: hex('a'), mime: 'image/jpeg', width: 1, height: 1, caption: '', credit: '', photographer: '', source: '', dateTaken: '' });
    const storyId = randomUUID();
    // As the server before it stored the whole document in the row: only the update log.
    await old.db.query(`INSERT INTO stories (id, created_by, redaktur_id, penulis_ids, created_at, updated_at, change_seq) VALUES ($1, $2, $5, $3::text[], $4, $4, ${NEXT_CHANGE_SEQ})`, [storyId, p1, [p1], at, users.get('redaktur1')!]);
    await old.db.query('INSERT INTO story_updates (story_id, update, created_by, created_at) VALUES ($1, $2, $3, $4)', [storyId, Y.encodeStateAsUpdate(doc), p1, at]);
    await old.close();

    const upgraded = await openDatabase(storage.config);
    let seqBefore: string;
    try {
      expect(upgraded.applied[0]).toBe('20261202_0008_photo_access');
      expect(await upgraded.db.query('SELECT sha256, user_id FROM photo_uploaders')).toEqual([{ sha256: hex('a'), user_id: p1 }]);
      const rows = await upgraded.db.query<{ photo_sha256s: string[] | null; seq: string }>('SELECT photo_sha256s, change_seq::text AS seq FROM stories WHERE id = $1', [storyId]);
      expect(rows[0]!.photo_sha256s).toBeNull();
      seqBefore = rows[0]!.seq;
    } finally {
      await upgraded.close();
    }

    // The server, started on it, reads the story's photos before it serves: its redaktur may read them.
    const photoDir = mkdtempSync(join(tmpdir(), 'rr-photo-lists-'));
    const running = await serve({ storage: storage.config, port: 0, host: '127.0.0.1', demo: false, passwordCost: TEST_PASSWORD_COST, photoStorage: { kind: 'file', directory: photoDir } });
    try {
      const head = async (username: string) => {
        const login = await fetch(`${running.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
        const { token } = (await login.json()) as { token: string };
        return (await fetch(`${running.url}/photos/${hex('a')}/original`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } })).status;
      };
      expect(await head('penulis1')).toBe(200); // uploader, and in the story's byline
      expect(await head('redaktur1')).toBe(200); // assigned to the story
      expect(await head('penulis3')).toBe(404);
    } finally {
      await running.stop();
      rmSync(photoDir, { recursive: true, force: true });
    }
    const reopened = await openDatabase(storage.config);
    try {
      expect(await reopened.db.query('SELECT photo_sha256s, change_seq::text AS seq FROM stories WHERE id = $1', [storyId])).toEqual([{ photo_sha256s: [hex('a')], seq: seqBefore }]);
      expect(await fillMissingPhotoLists(reopened.db)).toBe(0);
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
