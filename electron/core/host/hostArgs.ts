import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface WebHostArgs {
  /** Absolute profile directory. */
  profileDir: string;
  /** 0 = any free port. */
  port: number;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const WEB_USAGE = 'usage: node dist/core/web.js [--profile DIR] [--port N]';

/** Parses `--profile DIR --port N` (also `--profile=DIR`). Unknown flags are errors, not silently ignored. */
export function parseWebHostArgs(argv: readonly string[], defaults: { profileDir: () => string }): WebHostArgs {
  let profile: string | undefined;
  let port = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value\n${WEB_USAGE}`);
      return v;
    };
    if (flag === '--profile') profile = value();
    else if (flag === '--port') {
      const raw = value();
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got "${raw}"\n${WEB_USAGE}`);
      port = n;
    } else throw new UsageError(`unknown argument "${arg}"\n${WEB_USAGE}`);
  }
  return { profileDir: resolve(profile ?? defaults.profileDir()), port };
}

/** Reads `--profile DIR` from an argv (the utilityProcess entry gets nothing else). */
export function profileFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--profile') return argv[i + 1];
    if (arg.startsWith('--profile=')) return arg.slice('--profile='.length);
  }
  return undefined;
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
