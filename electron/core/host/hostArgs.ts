import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface WebHostArgs {
  /** Absolute profile directory. */
  profileDir: string;
  /** Explicit --port: 0 = any free port. Absent = the profile's own remembered port. */
  port?: number;
  /** --new-token: forget the profile's access token and make a new one (old addresses stop working). */
  newToken: boolean;
  /** The newsroom server the login screen offers: a demo one started here (the default), --server URL, or none (--no-server). */
  newsroom: NewsroomChoice;
}

export type NewsroomChoice = { kind: 'demo' } | { kind: 'url'; url: string } | { kind: 'none' };

export class UsageError extends Error {
  override name = 'UsageError';
}

export const WEB_USAGE = 'usage: node dist/core/web.js [--profile DIR] [--port N] [--new-token] [--server URL | --no-server]';

const WEB_OPTIONS = {
  profile: { type: 'string' },
  port: { type: 'string' },
  'new-token': { type: 'boolean', default: false },
  server: { type: 'string' },
  'no-server': { type: 'boolean', default: false },
} as const;

/**
 * Parses `--profile DIR --port N --new-token --server URL --no-server` (also `--profile=DIR`). Unknown flags,
 * stray arguments and missing or bad values are usage errors, never silently ignored.
 */
export function parseWebHostArgs(argv: readonly string[], defaults: { profileDir: () => string }): WebHostArgs {
  let values: { profile?: string; port?: string; 'new-token': boolean; server?: string; 'no-server': boolean };
  try {
    ({ values } = parseArgs({ args: [...argv], options: WEB_OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    // node:util throws a TypeError with an ERR_PARSE_ARGS_* code and a readable message.
    if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS_')) throw new UsageError(`${(error as Error).message}\n${WEB_USAGE}`);
    throw error;
  }
  if (values.profile === '') throw new UsageError(`--profile needs a value\n${WEB_USAGE}`);
  return {
    profileDir: resolve(values.profile ?? defaults.profileDir()),
    ...(values.port === undefined ? {} : { port: parsePort(values.port) }),
    newToken: values['new-token'],
    newsroom: parseNewsroom(values.server, values['no-server']),
  };
}

function parseNewsroom(server: string | undefined, noServer: boolean): NewsroomChoice {
  if (server !== undefined && noServer) throw new UsageError(`--server and --no-server exclude each other\n${WEB_USAGE}`);
  if (noServer) return { kind: 'none' };
  if (server === undefined) return { kind: 'demo' };
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`--server must be an http:// or https:// address, got "${server}"\n${WEB_USAGE}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) {
    throw new UsageError(`--server must be an http:// or https:// address, got "${server}"\n${WEB_USAGE}`);
  }
  return { kind: 'url', url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

function parsePort(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got "${raw}"\n${WEB_USAGE}`);
  return n;
}

/**
 * Reads `--profile DIR` from an argv (the utilityProcess entry gets nothing else we use).
 * Lenient on purpose: Electron may add switches of its own, which are not ours to judge.
 */
export function profileFromArgv(argv: readonly string[]): string | undefined {
  const { values } = parseArgs({ args: [...argv], options: { profile: { type: 'string' } }, strict: false, allowPositionals: true });
  return typeof values.profile === 'string' && values.profile !== '' ? values.profile : undefined;
}

export interface PlatformEnv {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

/**
 * The per-user data directory when no --profile is given: the same folder Electron's
 * userData resolves to (<appData>/Ruang Redaksi), so web mode and the desktop app share
 * one profile (never at once: core locks it).
 */
export function defaultProfileDir({ platform, env, home }: PlatformEnv = { platform: process.platform, env: process.env, home: homedir() }): string {
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Ruang Redaksi');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Ruang Redaksi');
  const xdg = env.XDG_CONFIG_HOME;
  // Electron's appData on Linux; XDG says a relative XDG_CONFIG_HOME must be ignored.
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.config'), 'Ruang Redaksi');
}
