// `node dist/server/main.js --data DIR [--port N] [--host H] [--demo] [--create-admin USERNAME]` (what `npm run server` runs).
// Prints `Ruang Redaksi server: http://127.0.0.1:N` once it accepts requests; SIGTERM or
// SIGINT lets requests in flight finish, closes the database and exits 0.
import { CreateAdminError } from './accounts/firstAdmin';
import { parseServerArgs, UsageError } from './cli/args';
import { DataDirError, prepareDataDir } from './db/dataDir';
import { MigrationDivergenceError } from './db/migrate';
import type { TestFaults } from './http/route';
import { serve } from './serve';

/** A request still running after this long is cut off rather than holding shutdown forever. */
const DRAIN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const args = parseServerArgs(process.argv.slice(2), process.env);
  const dataDir = prepareDataDir(args.dataDir);
  const adminName = args.createAdmin?.username;
  const server = await serve({
    storage: args.databaseUrl ? { engine: 'postgres', url: args.databaseUrl } : { engine: 'pglite', dataDir },
    port: args.port,
    host: args.host,
    demo: args.demo,
    ...(args.createAdmin !== undefined
      ? {
          createAdmin: {
            ...args.createAdmin,
            onResult: (created: boolean) =>
              process.stderr.write(
                created
                  ? `Ruang Redaksi server: admin "${adminName}" created\n`
                  : `Ruang Redaksi server: admin "${adminName}" already exists; left as it is (password unchanged)\n`,
              ),
          },
        }
      : {}),
    photoStorage: args.photoStorage,
    maxPhotoBytes: args.maxPhotoBytes,
    testFaults: testFaultsFromEnv(process.env.RUANG_TEST_FAULT),
  });

  const shutdown = (signal: string) => {
    const timer = setTimeout(() => {
      console.error(`Ruang Redaksi server: requests still running ${DRAIN_TIMEOUT_MS / 1000} s after ${signal}; exiting`);
      process.exit(1);
    }, DRAIN_TIMEOUT_MS);
    timer.unref();
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Ruang Redaksi server: error while stopping on ${signal}:`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));

  process.stdout.write(`Ruang Redaksi server: ${server.url}\n`);
}

/**
 * Crash tests only: `RUANG_TEST_FAULT=kill-after-persist` makes the process SIGKILL itself
 * after a sync request is persisted and before it is answered. Unset in production.
 */
function testFaultsFromEnv(fault: string | undefined): TestFaults | undefined {
  if (!fault) return undefined;
  if (fault === 'kill-after-persist') return { afterSyncPersist: () => process.kill(process.pid, 'SIGKILL') };
  throw new UsageError(`Unknown RUANG_TEST_FAULT "${fault}"`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof CreateAdminError || error instanceof DataDirError || error instanceof MigrationDivergenceError) {
    console.error(`Ruang Redaksi server: ${error.message}`);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Ruang Redaksi server: the port is already in use: ${(error as Error).message}`);
  } else {
    console.error('Ruang Redaksi server: failed to start:', error);
  }
  process.exit(1);
});
