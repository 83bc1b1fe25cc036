import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { connectWs } from '../testing/wsClient';
import { tempProfile } from '../testing/tempProfile';
import { startWebHost, type WebHost } from './webHost';
import { PortInUseError, startWebServer } from './webServer';

let profile: ReturnType<typeof tempProfile>;
let rendererDir: string;
let host: WebHost;

beforeEach(async () => {
  profile = tempProfile('rr-web-');
  const root = mkdtempSync(join(tmpdir(), 'rr-renderer-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Ruang Redaksi</title>');
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'app-1234.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'do not serve');
  symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'escape.txt'));
  host = await startWebHost({ profileDir: profile.dir, port: 0, rendererDir });
});
afterEach(async () => {
  await host.stop();
  profile.remove();
  rmSync(join(rendererDir, '..'), { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.server.port, path, method: 'GET', headers: { host: `127.0.0.1:${host.server.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web mode server', () => {
  it('serves the renderer with content types, security headers and an index fallback', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('Ruang Redaksi');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.server.port}`);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['x-frame-options']).toBe('DENY');

    expect((await get('/assets/app-1234.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    const css = await get('/assets/app-1234.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toContain('immutable');
    expect((await get('/stories/123')).body).toContain('Ruang Redaksi'); // client route → index.html
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('refuses directory traversal, encoded or not, and symlinks out of the renderer', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/a/%00']) {
      const r = await get(path);
      expect([400, 403], `${path} → ${r.status}`).toContain(r.status);
      expect(r.body).not.toContain('do not serve');
    }
    expect((await get('/escape.txt')).status).toBe(403);
  });

  it('answers only for Host 127.0.0.1:PORT (DNS rebinding), redirecting localhost', async () => {
    expect((await get('/', { host: `evil.example:${host.server.port}` })).status).toBe(421);
    const r = await get('/x', { host: `localhost:${host.server.port}` });
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe(`http://127.0.0.1:${host.server.port}/x`);
  });

  it('opens the RPC socket only with the token, the right Origin and the right Host', async () => {
    const { port, token } = host.server;
    const origin = `http://127.0.0.1:${port}`;
    const base = `ws://127.0.0.1:${port}/rpc`;
    expect((await connectWs(base, { origin })).refusedStatus).toBe(401);
    expect((await connectWs(`${base}?token=wrong`, { origin })).refusedStatus).toBe(401);
    expect((await connectWs(`${base}?token=${token}`, { origin: 'http://evil.example' })).refusedStatus).toBe(403);
    expect((await connectWs(`${base}?token=${token}`, { origin: `http://localhost:${port}` })).refusedStatus).toBe(403);
    expect((await connectWs(`${base}?token=${token}`, {})).refusedStatus).toBe(403);
    expect((await connectWs(`${base}?token=${token}`, { origin, host: `localhost:${port}` })).refusedStatus).toBe(403);
    expect((await connectWs(`ws://127.0.0.1:${port}/other?token=${token}`, { origin })).refusedStatus).toBe(404);

    const ok = await connectWs(`${base}?token=${token}`, { origin });
    expect(ok.endpoint).toBeDefined();
    const client = createRpcClient<CoreServices, CoreEvents>(ok.endpoint!);
    const created = await client.services.stories.create({});
    expect((await client.services.stories.get({ id: created.id })).id).toBe(created.id);
    expect((await client.services.docs.open({ storyId: created.id })).state).toBeInstanceOf(Uint8Array);

    // Malformed frames are dropped; the connection and core keep working.
    ok.socket!.send('not json');
    ok.socket!.send('{"t":"req"}');
    ok.socket!.send(Buffer.from([1, 2, 3]), { binary: true });
    ok.socket!.send(JSON.stringify({ t: 'req', id: 99, method: 'docs.push', input: { storyId: created.id, update: { $u8: '!!!' } } }));
    expect((await client.services.stories.list({})).total).toBe(1);
    ok.socket!.close();
  });

  it('says the renderer is not built with a 503 page', async () => {
    rmSync(join(rendererDir, 'index.html'));
    const r = await get('/');
    expect(r.status).toBe(503);
    expect(r.body).toContain('npm run build:renderer');
  });

  it('reports a taken port clearly', async () => {
    await expect(startWebServer({ port: host.server.port, rendererDir, attach: () => {} })).rejects.toBeInstanceOf(PortInUseError);
  });

  it('refuses a second core on the same profile', async () => {
    await expect(startWebHost({ profileDir: profile.dir, port: 0, rendererDir })).rejects.toThrow(/already in use/);
  });
});
