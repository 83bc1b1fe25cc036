import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const SERVER_USAGE = 'usage: npm run server -- --data DIR [--port N] [--host H] [--demo]   (DATABASE_URL=postgres://… uses PostgreSQL instead of PGlite in DIR)';

export interface ServerArgs {
  /** Absolute data directory (PGlite's files live in DIR/pglite). */
  dataDir: string;
  /** 0 = any free port. */
  port: number;
  host: string;
  demo: boolean;
  /** From DATABASE_URL: PostgreSQL instead of PGlite. */
  databaseUrl: string | undefined;
}

/** Parses the server's command line; every mistake is a UsageError naming the flag. */
export function parseServerArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ServerArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        data: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        demo: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${SERVER_USAGE}`);
  }
  if (!values.data) throw new UsageError(`--data DIR is required\n${SERVER_USAGE}`);
  let port = 0;
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got "${values.port}"\n${SERVER_USAGE}`);
    port = Number(values.port);
  }
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError(`--host needs a value\n${SERVER_USAGE}`);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new UsageError('DATABASE_URL must start with postgres:// or postgresql://');
  return { dataDir: resolve(values.data), port, host, demo: values.demo ?? false, databaseUrl };
}
