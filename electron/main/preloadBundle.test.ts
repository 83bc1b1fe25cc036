// A sandboxed preload runs as CommonJS and may require only 'electron': bundle it the way
// build/scripts/build-node.mjs does and check what the bundle requires and exposes.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const entry = path.join(here, '..', 'preload', 'preload.ts');

describe('preload bundle', () => {
  it('requires nothing but electron', async () => {
    const result = await build({ entryPoints: [entry], bundle: true, format: 'cjs', platform: 'browser', external: ['electron'], write: false, logLevel: 'silent' });
    const code = result.outputFiles[0]?.text ?? '';
    const required = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
  });

  it('exposes only ruangShell { platform, requestCorePort } and forwards the core port to the page', () => {
    const source = readFileSync(entry, 'utf8');
    expect(source.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    const exposed = /exposeInMainWorld\('ruangShell',\s*\{([\s\S]*?)\n\}\);/.exec(source)?.[1] ?? '';
    const keys = [...exposed.matchAll(/^\s*([A-Za-z]+):/gm)].map((m) => m[1]);
    expect(keys).toEqual(['platform', 'requestCorePort']);
    expect(source).toMatch(/ipcRenderer\.send\(REQUEST_PORT_CHANNEL\)/);
    expect(source).toMatch(/window\.postMessage\(PAGE_PORT_MESSAGE, '\*', \[port\]\)/);
    expect(source).toMatch(/PAGE_PORT_MESSAGE = 'ruang:core-port'/);
    expect(exposed).not.toMatch(/ipcRenderer(?!\.send\()/); // the raw ipcRenderer never crosses the bridge
  });
});
