import type { AddressInfo } from 'node:net';
import { buildApp, type AppOptions } from './app';
import { openDatabase, type StorageConfig } from './db/openDatabase';
import { createFirstAdmin } from './accounts/firstAdmin';
import { seedDemo } from './demo/seedDemo';
import { fillMissingPhotoLists } from './photos/photoLists';

export interface ServeOptions extends Omit<AppOptions, 'db'> {
  storage: StorageConfig;
  port: number;
  host: string;
  demo: boolean;
  /** Make sure this admin account exists before listening (see createFirstAdmin). */
  createAdmin?: { username: string; password: string | undefined; onResult?: (created: boolean) => void };
}

export interface RunningServer {
  /** http://host:port of the listening socket. */
  url: string;
  /** Stops accepting, lets requests in flight finish, closes the database. */
  stop(): Promise<void>;
}

/** Opens storage (migrating it), seeds the demo when asked, and listens. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const opened = await openDatabase(options.storage);
  try {
    // Stories written before the server kept their photo lists: filled before anyone reads a photo.
    await fillMissingPhotoLists(opened.db);
    if (options.demo) await seedDemo(opened.db, { passwordCost: options.passwordCost });
    if (options.createAdmin) {
      const created = await createFirstAdmin(opened.db, options.createAdmin.username, options.createAdmin.password, { passwordCost: options.passwordCost });
      options.createAdmin.onResult?.(created);
    }
    const app = await buildApp({ ...options, db: opened.db });
    await app.listen({ port: options.port, host: options.host });
    const address = app.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    let stopping: Promise<void> | undefined;
    return {
      url: `http://${host}:${address.port}`,
      stop: () =>
        (stopping ??= (async () => {
          try {
            await app.close();
          } finally {
            await opened.close();
          }
        })()),
    };
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw error;
  }
}

