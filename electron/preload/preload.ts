// Sandboxed preload (bundled to CommonJS; a sandboxed preload may require only 'electron').
// Exposes exactly three things to the page and forwards core's MessagePort:
//   page: ruangShell.requestCorePort()  →  main: 'core:request-port'
//   main: 'core:port' [port]            →  page: window message 'ruang:core-port' [port]
//   main: 'app:flush-request' id        →  page's flush (ruangShell.onFlushRequest) → main: 'app:flush-done' id
// The flush lets main wait, at quit, until the page has pushed its unsent edits to core.
import { contextBridge, ipcRenderer } from 'electron';

const REQUEST_PORT_CHANNEL = 'core:request-port';
const PORT_CHANNEL = 'core:port';
const PAGE_PORT_MESSAGE = 'ruang:core-port';
const FLUSH_REQUEST_CHANNEL = 'app:flush-request';
const FLUSH_DONE_CHANNEL = 'app:flush-done';

ipcRenderer.on(PORT_CHANNEL, (event) => {
  const [port] = event.ports;
  // Posted to this window only; the page takes event.ports[0].
  if (port) window.postMessage(PAGE_PORT_MESSAGE, '*', [port]);
});

// The page's flush, registered once (a later caller cannot replace it).
let pageFlush: (() => unknown) | null = null;
ipcRenderer.on(FLUSH_REQUEST_CHANNEL, (_event, requestId: unknown) => {
  // Main waits with its own deadline; answer whether the flush worked or not.
  const done = () => ipcRenderer.send(FLUSH_DONE_CHANNEL, typeof requestId === 'number' ? requestId : 0);
  Promise.resolve()
    .then(() => pageFlush?.())
    .then(done, done);
});

contextBridge.exposeInMainWorld('ruangShell', {
  platform: process.platform,
  requestCorePort: (): void => ipcRenderer.send(REQUEST_PORT_CHANNEL),
  onFlushRequest: (flush: unknown): void => {
    if (pageFlush === null && typeof flush === 'function') pageFlush = flush as () => unknown;
  },
});
