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

  it('exposes only ruangShell { platform, requestCorePort, onFlushRequest } and forwards the core port to the page', () => {
    const source = readFileSync(entry, 'utf8');
    expect(source.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    const exposed = /exposeInMainWorld\('ruangShell',\s*\{([\s\S]*?)\n\}\);/.exec(source)?.[1] ?? '';
    const keys = [...exposed.matchAll(/^\s*([A-Za-z]+):/gm)].map((m) => m[1]);
    expect(keys).toEqual(['platform', 'requestCorePort', 'onFlushRequest']);
    expect(source).toMatch(/ipcRenderer\.send\(REQUEST_PORT_CHANNEL\)/);
    expect(source).toMatch(/window\.postMessage\(PAGE_PORT_MESSAGE, '\*', \[port\]\)/);
    expect(source).toMatch(/PAGE_PORT_MESSAGE = 'ruang:core-port'/);
    expect(exposed).not.toMatch(/ipcRenderer(?!\.send\()/); // the raw ipcRenderer never crosses the bridge
  });

  it('answers a flush request only after the page flushed, with the same id', async () => {
    const result = await build({ entryPoints: [entry], bundle: true, format: 'cjs', platform: 'browser', external: ['electron'], write: false, logLevel: 'silent' });
    const code = result.outputFiles[0]?.text ?? '';
    // Run the bundle against stand-ins for the two Electron objects it uses.
    const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
    const sent: Array<[string, unknown]> = [];
    let exposed: Record<string, unknown> = {};
    const electron = {
      ipcRenderer: {
        on: (channel: string, fn: (event: unknown, ...args: unknown[]) => void) => listeners.set(channel, fn),
        send: (channel: string, arg: unknown) => sent.push([channel, arg]),
      },
      contextBridge: { exposeInMainWorld: (_name: string, api: Record<string, unknown>) => (exposed = api) },
    };
    new Function('require', 'process', 'window', code)(() => electron, { platform: 'linux' }, {});
    let release: () => void = () => {};
    const flushed = new Promise<void>((r) => (release = r));
    (exposed.onFlushRequest as (f: () => Promise<void>) => void)(() => flushed);
    (exposed.onFlushRequest as (f: () => Promise<void>) => void)(() => Promise.resolve()); // cannot replace it
    listeners.get('app:flush-request')!({}, 7);
    await new Promise((r) => setTimeout(r, 10));
    expect(sent).toEqual([]); // still flushing
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(sent).toEqual([['app:flush-done', 7]]);
  });
});
