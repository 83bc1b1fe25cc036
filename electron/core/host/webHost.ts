import { accessSync, constants, mkdirSync } from 'node:fs';
import { openCore, type Core, type OpenCoreOptions } from '../core';
import { MigrationDivergenceError } from '../db/migrate';
import { ProfileInUseError } from '../profile/profileLock';
import { chooseDemoServerPort, startDemoServer, type DemoServer, type DemoServerPort } from './demoServer';
import type { NewsroomChoice } from './hostArgs';
import { listenOnProfilePort } from './webPort';
import { PortInUseError, startWebServer, type WebServer } from './webServer';
import { profileWebToken, type WebToken } from './webToken';

export interface WebHostOptions {
  profileDir: string;
  /** 0 = any free port; absent = the profile's own port (remembered, see webPort.ts). */
  port?: number;
  /** Replace the profile's access token with a new one before serving. */
  newToken?: boolean;
  rendererDir: string;
  coreOptions?: Omit<OpenCoreOptions, 'profileDir'>;
  /** The newsroom server the login screen offers (default: none). */
  newsroom?: NewsroomChoice;
  /** dist/server/main.js, for the demo server. */
  serverScript?: string;
  /** Where the demo server's error output goes (web mode: its stderr). */
  serverStderr?: NodeJS.WritableStream;
}

export interface WebHost {
  core: Core;
  server: WebServer;
  /** Lines to tell the user before the address (another port this run, a new token); usually none. */
  notices: string[];
  /** The demo newsroom server this host started, if any (stopped with the host). */
  demoServer: DemoServer | null;
  /** Stops serving, flushes everything to SQLite, closes the store. Idempotent. */
  stop(): Promise<void>;
}

/** A start failure the user can act on; the message says what to do. */
export class HostStartError extends Error {
  override name = 'HostStartError';
}

/** Core + web server for web mode. The CLI (web.ts) only parses arguments and prints. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const newsroom = options.newsroom ?? { kind: 'none' };
  // The demo server's address must be known when core opens (the login screen's default);
  // its port is only probed here and bound by the server once core holds the profile.
  let demoPort: DemoServerPort | undefined;
  let defaultServerUrl = options.coreOptions?.defaultServerUrl;
  if (newsroom.kind === 'url') defaultServerUrl = newsroom.url;
  if (newsroom.kind === 'demo') {
    demoPort = await chooseDemoServerPort(options.profileDir);
    defaultServerUrl = `http://127.0.0.1:${demoPort.port}`;
  }
  const core = openCoreOrExplain({ ...options, coreOptions: { ...options.coreOptions, ...(defaultServerUrl ? { defaultServerUrl } : {}) } });
  const notices: string[] = [];
  let server: WebServer;
  let demoServer: DemoServer | null = null;
  let demoStarting: Promise<DemoServer | null> = Promise.resolve(null);
  if (demoPort) {
    demoPort.remember();
    if (demoPort.notice) notices.push(demoPort.notice);
    const port = demoPort.port;
    // Started first: its database opens while web mode starts serving.
    demoStarting = startDemoServer({ serverScript: options.serverScript ?? '', profileDir: options.profileDir, port, stderr: options.serverStderr }).catch(
      (error: unknown) => {
        notices.push(
          `Ruang Redaksi: the demo newsroom server did not start: ${(error as Error).message}. Writing works offline; ` +
            'start web mode with --server URL to use another server.',
        );
        return null;
      },
    );
  }
  try {
    // Only now: core holds the profile lock, so no other host touches these files.
    const { token, notice } = tokenOrExplain(options);
    if (notice) notices.push(notice);
    const listen = (port: number) => startWebServer({ port, token, rendererDir: options.rendererDir, attach: (e) => core.rpcServer.attach(e) });
    if (options.port !== undefined) server = await listen(options.port);
    else {
      const chosen = await listenOnProfilePort(options.profileDir, listen);
      server = chosen.server;
      if (chosen.notice) notices.push(chosen.notice);
    }
    demoServer = await demoStarting;
  } catch (error) {
    core.close();
    await (await demoStarting)?.stop();
    throw error instanceof PortInUseError ? new HostStartError(error.message) : error;
  }
  let stopping: Promise<void> | undefined;
  return {
    core,
    server,
    notices,
    demoServer,
    stop() {
      stopping ??= (async () => {
        const demoStopped = demoServer?.stop();
        try {
          await server.close();
        } finally {
          core.close();
          await demoStopped;
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

function tokenOrExplain({ profileDir, newToken }: WebHostOptions): WebToken {
  try {
    return profileWebToken(profileDir, { renew: newToken });
  } catch (error) {
    throw new HostStartError(`Could not keep web mode's access token in ${profileDir}: ${(error as Error).message}`);
  }
}
