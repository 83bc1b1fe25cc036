// Web mode CLI: `node dist/core/web.js [--profile DIR] [--port N] [--new-token] [--server URL | --no-server]`.
// Core in plain Node, the built renderer and the RPC WebSocket on 127.0.0.1; without --server a
// demo newsroom server (dist/server/main.js) as a child process. Logic lives in webHost/webServer/demoServer.
import { fileURLToPath } from 'node:url';
import { defaultProfileDir, parseWebHostArgs, UsageError } from './hostArgs';
import { HostStartError, startWebHost } from './webHost';

/** The demo's accounts (server/demo), so a newcomer can log in without reading further. */
const DEMO_ACCOUNTS = 'demo newsroom: log in as admin, redaktur1, redaktur2, penulis1, penulis2 or penulis3, password redaksi123';

async function main(): Promise<void> {
  const args = parseWebHostArgs(process.argv.slice(2), { profileDir: () => defaultProfileDir() });
  // This file is bundled to dist/core/web.js; the renderer is built to dist/renderer.
  const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
  const serverScript = fileURLToPath(new URL('../server/main.js', import.meta.url));
  const host = await startWebHost({ ...args, rendererDir, serverScript, serverStderr: process.stderr });

  const shutdown = (signal: string) => {
    host.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Ruang Redaksi: error while stopping on ${signal}:`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));

  // Notices first: the address line stays the last one, in the format tools parse.
  for (const notice of host.notices) process.stdout.write(`${notice}\n`);
  if (host.demoServer) process.stdout.write(`Ruang Redaksi server: ${host.demoServer.url} (${DEMO_ACCOUNTS})\n`);
  process.stdout.write(`Ruang Redaksi: ${host.server.url}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof HostStartError) console.error(`Ruang Redaksi: ${error.message}`);
  else console.error('Ruang Redaksi: failed to start:', error);
  process.exit(1);
});
