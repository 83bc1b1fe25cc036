// Where the app keeps its data. Default: Electron's userData folder. `--profile DIR` (or
// RUANG_PROFILE=DIR) overrides it, so tests and a second profile never touch the real one;
// the same flag name as web mode (`node dist/core/web.js --profile DIR`).
import path from 'node:path';

export const PROFILE_ENV = 'RUANG_PROFILE';

/** The profile directory asked for on the command line or in the environment, absolute; null for the default. */
export function profileOverride(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): string | null {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--profile') value = argv[i + 1];
    else if (arg?.startsWith('--profile=')) value = arg.slice('--profile='.length);
  }
  value ??= env[PROFILE_ENV];
  if (!value) return null;
  return path.resolve(cwd, value);
}
