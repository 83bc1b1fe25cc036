import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../shared/web/contentSecurityPolicy';
import { startWebServer, type WebServer } from './webServer';

let root: string;
let server: WebServer;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'rr-csp-'));
  server = await startWebServer({ port: 0, rendererDir: join(root, 'renderer'), attach: () => {} });
});
afterEach(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function cspOf(path: string, host = `127.0.0.1:${server.port}`, method = 'GET'): Promise<{ status: number; csp: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, csp: res.headers['content-security-policy'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe("web mode's CSP", () => {
  it("is the renderer's one policy from shared/web plus this server's own socket, on every response", async () => {
    const expected = contentSecurityPolicy({ webSocketOrigin: `ws://127.0.0.1:${server.port}` });
    expect(await cspOf('/')).toEqual({ status: 503, csp: expected }); // renderer not built yet
    mkdirSync(join(root, 'renderer'));
    writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html><title>Ruang Redaksi</title>');
    expect(await cspOf('/')).toEqual({ status: 200, csp: expected });
    expect(await cspOf('/assets/missing.js')).toEqual({ status: 404, csp: expected });
    expect(await cspOf('/', `127.0.0.1:${server.port}`, 'POST')).toEqual({ status: 405, csp: expected });
    expect(await cspOf('/', 'example.com')).toEqual({ status: 421, csp: expected });
  });
});
