// Web mode CLI: `node dist/core/web.js [--profile DIR] [--port N] [--new-token]`. Core in plain Node,
// the built renderer and the RPC WebSocket on 127.0.0.1. Logic lives in webHost/webServer.
import { fileURLToPath } from 'node:url';
import { defaultProfileDir, parseWebHostArgs, UsageError } from './hostArgs';
import { HostStartError, startWebHost } from './webHost';

async function main(): Promise<void> {
  const args = parseWebHostArgs(process.argv.slice(2), { profileDir: () => defaultProfileDir() });
  // This file is bundled to dist/core/web.js; the renderer is built to dist/renderer.
  const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
  const host = await startWebHost({ ...args, rendererDir });

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
  process.stdout.write(`Ruang Redaksi: ${host.server.url}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof HostStartError) console.error(`Ruang Redaksi: ${error.message}`);
  else console.error('Ruang Redaksi: failed to start:', error);
  process.exit(1);
});
