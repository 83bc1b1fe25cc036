import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { callServer, GZIP_FROM_CHARS, type FetchLike } from './serverHttp';

const session = { serverUrl: 'http://127.0.0.1:9', token: 'rr_test', user: { id: 'u', username: 'penulis1', displayName: 'P', role: 'penulis' as const } };

/** The network boundary: records what would go on the wire and answers `{}`. */
function recordingFetch() {
  const sent: Array<{ headers: Record<string, string>; body: string | Uint8Array | undefined }> = [];
  const fetchImpl: FetchLike = async (_url, init) => {
    sent.push({ headers: init.headers, body: init.body });
    return { status: 200, ok: true, text: async () => '{}' };
  };
  return { sent, fetchImpl };
}

describe('callServer', () => {
  it('gzips a large body (base64 Yjs updates in JSON) and says so; the JSON is intact', async () => {
    const { sent, fetchImpl } = recordingFetch();
    const stories = [{ id: 'a', update: 'QUJD'.repeat(GZIP_FROM_CHARS), stateVector: 'AA==' }];
    await callServer(fetchImpl, session, { method: 'POST', path: '/sync', body: { stories } }, 5_000);
    const { headers, body } = sent[0]!;
    expect(headers['content-encoding']).toBe('gzip');
    expect(body).toBeInstanceOf(Uint8Array);
    const bytes = body as Uint8Array;
    expect(bytes.byteLength).toBeLessThan(JSON.stringify({ stories }).length / 4);
    expect(JSON.parse(gunzipSync(bytes).toString('utf8'))).toEqual({ stories });
  });

  it('sends a small body as plain JSON', async () => {
    const { sent, fetchImpl } = recordingFetch();
    await callServer(fetchImpl, session, { method: 'POST', path: '/sync', body: { stories: [] } }, 5_000);
    expect(sent[0]!.headers['content-encoding']).toBeUndefined();
    expect(sent[0]!.body).toBe('{"stories":[]}');
  });
});
