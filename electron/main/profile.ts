// Where the app keeps its data (Electron's userData, which is also core's --profile).
// Default: <appData>/Ruang Redaksi — the same folder for `npm start` and the packaged app
// (Electron would otherwise derive it from package.json's name in one and productName in
// the other). `--profile DIR` (or RUANG_PROFILE=DIR) overrides it, so tests and a second
// profile never touch the real one; the same flag name as web mode.
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

export const PRODUCT_NAME = 'Ruang Redaksi';

/** The userData folder: the override when given, else <appData>/Ruang Redaksi. */
export function userDataDir(override: string | null, appData: string): string {
  return override ?? path.join(appData, PRODUCT_NAME);
}
