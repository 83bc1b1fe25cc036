// Electron utilityProcess entry: core for the desktop app. main spawns it with
// `--profile DIR` and hands it one MessagePort per renderer via
// child.postMessage({ type: 'connect' }, [port]). Logic lives in parentPortServer.ts; the
// session token is sealed by main's safeStorage through the same port (parentPortCipher.ts).
import { openCore } from '../core';
import { profileFromArgv } from './hostArgs';
import { createParentPortCipher } from './parentPortCipher';
import { serveParentPort, type ParentPortLike } from './parentPortServer';

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

let core: ReturnType<typeof openCore>;
try {
  core = openCore({ profileDir, secretCipher: createParentPortCipher(parentPort) });
} catch (error) {
  console.error(`core utility: cannot open the profile ${profileDir}: ${(error as Error).message}`);
  process.exit(1);
}

serveParentPort(parentPort, core, (code) => process.exit(code));

const stop = () => {
  try {
    core.close();
  } finally {
    process.exit(0);
  }
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
