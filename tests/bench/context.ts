import type { Browser } from 'playwright';

export interface BenchPaths {
  repoRoot: string;
  /** The bundled web mode entry (dist/core/web.js). */
  webJs: string;
  /** Source and build folders of the bare baseline page. */
  bareSource: string;
  bareOut: string;
}

/** What every benchmark group gets from run.ts. */
export interface BenchContext extends ServerBenchContext {
  browser: Browser;
}

/** What a group that needs no browser (the server benchmarks) gets. */
export interface ServerBenchContext {
  paths: BenchPaths;
  /** True when some selected id (see --only) starts with this prefix. */
  wants(prefix: string): boolean;
  /** Records a measured value; ids not selected by --only are dropped. */
  record(id: string, value: number): void;
  /** Progress and context on stderr (stdout carries only the JSON). */
  log(message: string): void;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
