// Sandboxed preload (bundled to CommonJS; a sandboxed preload may require only 'electron').
// Exposes exactly two things to the page and forwards core's MessagePort:
//   page: ruangShell.requestCorePort()  →  main: 'core:request-port'
//   main: 'core:port' [port]            →  page: window message 'ruang:core-port' [port]
import { contextBridge, ipcRenderer } from 'electron';

const REQUEST_PORT_CHANNEL = 'core:request-port';
const PORT_CHANNEL = 'core:port';
const PAGE_PORT_MESSAGE = 'ruang:core-port';

ipcRenderer.on(PORT_CHANNEL, (event) => {
  const [port] = event.ports;
  // Posted to this window only; the page takes event.ports[0].
  if (port) window.postMessage(PAGE_PORT_MESSAGE, '*', [port]);
});

contextBridge.exposeInMainWorld('ruangShell', {
  platform: process.platform,
  requestCorePort: (): void => ipcRenderer.send(REQUEST_PORT_CHANNEL),
});
