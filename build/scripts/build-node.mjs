// Bundles the Node-side entry points (core hosts, Electron main and preload, benchmarks,
// the newsroom server) into dist/. The renderer is built by Vite (renderer/vite.config.ts).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Native or binary-backed modules stay in node_modules.
  external: ['better-sqlite3', 'sharp', 'electron', 'playwright', 'playwright-core', '@playwright/test', 'vite', 'esbuild', 'fsevents'],
};

const esm = {
  ...common,
  format: 'esm',
  // Bundled CommonJS dependencies may call require(): give ESM bundles one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};

/**
 * The newsroom server (`npm run server`, build/scripts/run-server.mjs). Its dependencies stay
 * in node_modules: PGlite loads its WASM and data files relative to its own package.
 */
export const serverTarget = { ...esm, entryPoints: ['server/main.ts'], outfile: 'dist/server/main.js', packages: 'external' };

const targets = [
  { ...esm, entryPoints: ['electron/core/host/web.ts'], outfile: 'dist/core/web.js' },
  { ...esm, entryPoints: ['electron/core/host/utility.ts'], outfile: 'dist/core/utility.js' },
  { ...common, format: 'cjs', entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.cjs' },
  { ...common, format: 'cjs', platform: 'browser', entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs', external: ['electron'] },
  { ...esm, entryPoints: ['tests/bench/run.ts'], outfile: 'dist/bench/run.js' },
  serverTarget,
];

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const present = targets.filter((t) => existsSync(t.entryPoints[0]));
  await Promise.all(present.map((t) => build(t)));
  console.log(`built ${present.map((t) => t.outfile).join(', ')}`);
}
