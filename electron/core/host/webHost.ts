import { accessSync, constants, mkdirSync } from 'node:fs';
import { openCore, type Core, type OpenCoreOptions } from '../core';
import { MigrationDivergenceError } from '../db/migrate';
import { ProfileInUseError } from '../profile/profileLock';
import { PortInUseError, startWebServer, type WebServer } from './webServer';

export interface WebHostOptions {
  profileDir: string;
  port: number;
  rendererDir: string;
  coreOptions?: Omit<OpenCoreOptions, 'profileDir'>;
}

export interface WebHost {
  core: Core;
  server: WebServer;
  /** Stops serving, flushes everything to SQLite, closes the store. Idempotent. */
  stop(): Promise<void>;
}

/** A start failure the user can act on; the message says what to do. */
export class HostStartError extends Error {
  override name = 'HostStartError';
}

/** Core + web server for web mode. The CLI (web.ts) only parses arguments and prints. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const core = openCoreOrExplain(options);
  let server: WebServer;
  try {
    server = await startWebServer({ port: options.port, rendererDir: options.rendererDir, attach: (e) => core.rpcServer.attach(e) });
  } catch (error) {
    core.close();
    throw error instanceof PortInUseError ? new HostStartError(error.message) : error;
  }
  let stopping: Promise<void> | undefined;
  return {
    core,
    server,
    stop() {
      stopping ??= (async () => {
        try {
          await server.close();
        } finally {
          core.close();
        }
      })();
      return stopping;
    },
  };
}

function openCoreOrExplain({ profileDir, coreOptions }: WebHostOptions): Core {
  try {
    mkdirSync(profileDir, { recursive: true });
    accessSync(profileDir, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new HostStartError(`The profile directory ${profileDir} is not usable: ${(error as Error).message}`);
  }
  try {
    return openCore({ ...coreOptions, profileDir });
  } catch (error) {
    if (error instanceof ProfileInUseError || error instanceof MigrationDivergenceError) throw new HostStartError(error.message);
    throw new HostStartError(`Could not open the local store in ${profileDir}: ${(error as Error).message}`);
  }
}
