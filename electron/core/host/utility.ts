// Electron utilityProcess entry: core for the desktop app. main spawns it with
// `--profile DIR` and hands it one MessagePort per renderer via
// child.postMessage({ type: 'connect' }, [port]). Electron's types are described locally:
// core never imports electron.
import { openCore } from '../core';
import { messagePortEndpoint, type MessagePortLike } from '../transport/messagePortEndpoint';
import { profileFromArgv } from './hostArgs';

interface ParentPortMessage {
  data: unknown;
  ports: MessagePortLike[];
}
interface ParentPortLike {
  on(event: 'message', listener: (message: ParentPortMessage) => void): unknown;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
const profileDir = profileFromArgv(process.argv);

if (!parentPort) {
  console.error('core utility: no parentPort (start this file with Electron utilityProcess.fork)');
  process.exit(1);
}
if (!profileDir) {
  console.error('core utility: missing --profile DIR');
  process.exit(1);
}

const core = openCore({ profileDir });

parentPort.on('message', ({ data, ports }) => {
  const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
  if (type === 'connect') {
    for (const port of ports) core.rpcServer.attach(messagePortEndpoint(port));
  } else if (type === 'flush') {
    core.flush();
  } else if (type === 'shutdown') {
    stop(0);
  }
});
parentPort.postMessage({ type: 'ready' });

function stop(code: number): never {
  try {
    core.close();
  } finally {
    process.exit(code);
  }
}
process.once('SIGTERM', () => stop(0));
process.once('SIGINT', () => stop(0));
