import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, resolveAppPath, serveAppRequest } from './appProtocol';
import { contentSecurityPolicy } from '../../shared/web/contentSecurityPolicy';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'ruang-app-protocol-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Ruang Redaksi</title>');
  writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  // A file next to the root that traversal must never reach.
  writeFileSync(path.join(base, 'secret.txt'), 'secret');
  mkdirSync(path.join(base, 'renderer-evil'));
  writeFileSync(path.join(base, 'renderer-evil', 'x.js'), 'evil');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string) => serveAppRequest(root, { url, method: 'GET' });

describe('app:// protocol', () => {
  it('is a standard, secure scheme that does not bypass the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES.privileges?.bypassCSP).toBeFalsy();
    expect(APP_SCHEME_PRIVILEGES.privileges?.corsEnabled).toBeFalsy();
  });

  it("serves the renderer with its content type and the renderer's one CSP (shared/web, no socket)", async () => {
    const index = await get('app://ruang/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    for (const refused of [await get('app://ruang/missing.js'), await serveAppRequest(root, { url: 'app://ruang/', method: 'POST' })]) {
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    }
    expect(await index.text()).toContain('Ruang Redaksi');
    const script = await get('app://ruang/assets/index-abc.js?v=1#x');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses path traversal in every spelling', async () => {
    for (const url of [
      'app://ruang/%2e%2e/secret.txt',
      'app://ruang/..%2fsecret.txt',
      'app://ruang/assets/..%2F..%2Fsecret.txt',
      'app://ruang/..%5csecret.txt',
      'app://ruang/%2e%2e/renderer-evil/x.js',
      'app://ruang/index.html%00.js',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(await response.text(), url).not.toMatch(/secret|evil/);
    }
    // URL parsing already folds plain ../ into the root; it must still stay inside.
    expect(resolveAppPath(root, 'app://ruang/../../secret.txt')).toEqual({ ok: true, filePath: path.join(root, 'secret.txt') });
    expect((await get('app://ruang/../../secret.txt')).status).toBe(404);
  });

  it('serves only its own host, only reads, and 404s what is missing or a folder', async () => {
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://ruang/missing.js')).status).toBe(404);
    expect((await get('app://ruang/assets')).status).toBe(404);
    expect((await serveAppRequest(root, { url: 'app://ruang/index.html', method: 'POST' })).status).toBe(405);
  });
});
