import { randomUUID } from 'node:crypto';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMetaMap } from '../../shared/doc/storyDoc';
import { writeStoryBody } from '../../shared/editor/headless';
import type { ChangesResponse, SyncResponse } from '../../shared/server-api/sync';
import { b64 } from '../testing/httpClient';
import { openTestDatabase, startTestApp, tableCounts, type TestApp, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';

/** Bodies on the wire: /sync and /changes answers compressed when the client accepts it; gzip request bodies inflated, with the size limit on the inflated bytes. */
describe.each(ENGINES)('compression on %s', (engine) => {
  let t: TestDatabase;
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
    await t.resetToDemo();
    app = await startTestApp(t.db);
    token = await app.login('penulis1');
  }, 120_000);
  afterAll(async () => t?.close());

  function syncBody(count: number) {
    const stories = Array.from({ length: count }, (_, i) => {
      const doc = new Y.Doc();
      getMetaMap(doc).set('headline', `Berita ke-${i}`);
      writeStoryBody(doc, [{ type: 'paragraph', children: ['Pemerintah menaikkan harga bahan bakar minyak mulai pekan depan. '.repeat(20)] }]);
      return { id: randomUUID(), update: b64(Y.encodeStateAsUpdate(doc)), stateVector: b64(Y.encodeStateVector(doc)) };
    });
    return { stories };
  }
  const post = (payload: Buffer | string, headers: Record<string, string>) =>
    app.app.inject({ method: 'POST', url: '/sync', payload, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers } });

  it('answers /sync and /changes with br or gzip as the client accepts, plain otherwise', async () => {
    const created = syncBody(8);
    expect((await post(JSON.stringify(created), {})).statusCode).toBe(200);
    // A new device reads them: the answers carry the whole documents.
    const body = JSON.stringify({ stories: created.stories.map((s) => ({ id: s.id, stateVector: 'AA==' })) });
    const gz = await post(body, { 'accept-encoding': 'gzip' });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    const answer = JSON.parse(gunzipSync(gz.rawPayload).toString()) as SyncResponse;
    expect(answer.stories.map((s) => s.ok)).toEqual(Array(8).fill(true));
    expect(gz.rawPayload.length).toBeLessThan(gunzipSync(gz.rawPayload).length / 2);

    const br = await post(body, { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect((JSON.parse(brotliDecompressSync(br.rawPayload).toString()) as SyncResponse).stories).toHaveLength(8);
    const plain = await post(body, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect((plain.json() as SyncResponse).stories).toHaveLength(8);

    const changes = await app.app.inject({ method: 'GET', url: '/changes', headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'br' } });
    expect(changes.headers['content-encoding']).toBe('br');
    expect((JSON.parse(brotliDecompressSync(changes.rawPayload).toString()) as ChangesResponse).stories).toHaveLength(8);
    const changesGz = await app.app.inject({ method: 'GET', url: '/changes', headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' } });
    expect(changesGz.headers['content-encoding']).toBe('gzip');
  });

  it('takes a gzip request body (Content-Encoding: gzip) and stores it like a plain one', async () => {
    const body = syncBody(2);
    const before = await tableCounts(t.db);
    const res = await post(gzipSync(JSON.stringify(body)), { 'content-encoding': 'gzip' });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as SyncResponse).stories.map((s) => s.ok)).toEqual([true, true]);
    expect((await tableCounts(t.db)).stories).toBe(before.stories! + 2);
  });

  it('a zip bomb gets 413 and writes nothing; broken gzip 400; another encoding 415', async () => {
    const before = await tableCounts(t.db);
    // 64 MiB once inflated (the /sync limit is 16 MiB), 64 KiB on the wire: a valid JSON
    // start followed by spaces, so only the size can stop it.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"stories":['), Buffer.alloc(64 * 1024 * 1024, 0x20)]));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const res = await post(bomb, { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'body_too_large' } });
    // The same on a route with the default 256 KiB limit.
    const login = await app.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: gzipSync(Buffer.concat([Buffer.from('{"username":"'), Buffer.alloc(8 * 1024 * 1024, 0x61)])),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(login.statusCode).toBe(413);

    const broken = await post(Buffer.from('this is not gzip at all'), { 'content-encoding': 'gzip' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ error: { code: 'invalid_request' } });
    for (const encoding of ['deflate', 'br', 'compress']) {
      const other = await post(JSON.stringify(syncBody(1)), { 'content-encoding': encoding });
      expect(other.statusCode).toBe(415);
      expect(other.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
