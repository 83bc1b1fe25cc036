import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createServerClient, normalizeServerUrl } from './serverClient';

/**
 * The client against a local HTTP server that misbehaves on purpose (the network boundary):
 * stalls, error bodies, non-JSON pages, compression. The real newsroom server's answers are
 * covered by account.test.ts.
 */
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('server client', () => {
  it('times out a body that stops half way', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"version": 1, "users": [');
    });
    const client = createServerClient({ timeoutMs: 300 });
    await expect(client.directory(url, 't')).rejects.toMatchObject({ code: 'server_unreachable', status: null, message: expect.stringContaining('did not answer within 0.3 s') });
  });

  it('maps the server JSON errors: 401 → unauthorized, 5xx → server_unreachable, others keep the server code', async () => {
    const url = await serve((req, _body, res) => {
      if (req.url === '/directory') json(res, 401, { error: { code: 'session_revoked', message: 'the session was ended: log in again' } });
      else if (req.url === '/auth/me') json(res, 500, { error: { code: 'internal', message: 'internal server error' } });
      else json(res, 409, { error: { code: 'conflict', message: 'taken' } });
    });
    const client = createServerClient();
    await expect(client.directory(url, 't')).rejects.toMatchObject({ code: 'unauthorized', status: 401, apiCode: 'session_revoked', message: expect.stringContaining('log in again') });
    await expect(client.me(url, 't')).rejects.toMatchObject({ code: 'server_unreachable', status: 500, apiCode: 'internal' });
    await expect(client.request(url, { method: 'POST', path: '/x', body: {} })).rejects.toMatchObject({ code: 'conflict', status: 409 });
  });

  it('login: wrong credentials, a username the server could never hold and the rate limit are login_failed', async () => {
    let answer: [number, unknown] = [401, { error: { code: 'invalid_credentials', message: 'wrong username or password' } }];
    const url = await serve((_req, _body, res) => json(res, ...answer));
    const client = createServerClient();
    await expect(client.login(url, 'penulis1', 'x')).rejects.toMatchObject({ code: 'login_failed', apiCode: 'invalid_credentials' });
    answer = [400, { error: { code: 'invalid_request', message: 'body.username: 2–40 characters' } }];
    await expect(client.login(url, 'a b', 'x')).rejects.toMatchObject({ code: 'login_failed' });
    answer = [429, { error: { code: 'rate_limited', message: 'try again in 60 s' } }];
    await expect(client.login(url, 'penulis1', 'x')).rejects.toMatchObject({ code: 'login_failed', message: expect.stringContaining('Too many login attempts') });
  });

  it('an address that is not a Ruang Redaksi server says so', async () => {
    const url = await serve((req, _body, res) => {
      res.writeHead(req.url === '/directory' ? 200 : 404, { 'content-type': 'text/html' });
      res.end('<html>It works!</html>');
    });
    const client = createServerClient();
    await expect(client.login(url, 'penulis1', 'x')).rejects.toMatchObject({ code: 'server_unreachable', status: 404, message: expect.stringContaining('not like a Ruang Redaksi server') });
    await expect(client.directory(url, 't')).rejects.toMatchObject({ code: 'server_unreachable', message: expect.stringContaining('not JSON') });
  });

  it('reads gzip answers, gzips large request bodies when asked, and sends the bearer token', async () => {
    const seen: Array<{ encoding: string | undefined; auth: string | undefined; body: unknown }> = [];
    const url = await serve((req, body, res) => {
      const encoding = req.headers['content-encoding'];
      seen.push({ encoding, auth: req.headers.authorization, body: JSON.parse((encoding === 'gzip' ? gunzipSync(body) : body).toString()) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ ok: true, echo: seen.length })));
    });
    const client = createServerClient({ gzipRequestsOver: 100 });
    const big = { stories: Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, stateVector: 'AAAA' })) };
    expect(await client.request(url, { method: 'POST', path: '/sync', token: 'tok', body: big })).toEqual({ ok: true, echo: 1 });
    expect(await client.request(url, { method: 'POST', path: '/sync', body: { small: 1 } })).toEqual({ ok: true, echo: 2 });
    expect(seen).toEqual([
      { encoding: 'gzip', auth: 'Bearer tok', body: big },
      { encoding: undefined, auth: undefined, body: { small: 1 } },
    ]);
  });

  it('a call the caller cancels fails at once', async () => {
    const url = await serve(() => {});
    const abort = new AbortController();
    const call = createServerClient().me(url, 't', abort.signal);
    abort.abort();
    await expect(call).rejects.toMatchObject({ code: 'server_unreachable', message: expect.stringContaining('cancelled') });
  });

  it('normalizes server addresses and refuses what is not one', () => {
    expect(normalizeServerUrl(' https://Redaksi.Example:8443/api/ ')).toBe('https://redaksi.example:8443/api');
    expect(normalizeServerUrl('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    for (const bad of ['ftp://x', 'redaksi', 'http://u:p@x', 'http://x/?q=1']) expect(() => normalizeServerUrl(bad)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
