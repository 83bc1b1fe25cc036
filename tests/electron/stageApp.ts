// Lays out the built app the way a package does (dist/ + package.json + node_modules with
// only better-sqlite3 and what it requires), with better-sqlite3 built for Electron. The
// repository's own node_modules keeps its Node build, so the web-mode e2e tests running in
// the same Playwright run are not disturbed (a native addon can only have one ABI).
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureElectronBuild, type ElectronInfo } from '../../build/scripts/ensure-native.mjs';

const RUNTIME_PACKAGES = ['better-sqlite3', 'bindings', 'file-uri-to-path'];
const DIST_PARTS = ['electron', 'core', 'renderer'];

export interface StagedApp {
  /** The app folder: pass it to Electron as the app path. */
  dir: string;
  remove(): void;
}

export async function stageElectronApp(root: string, electron: ElectronInfo & { executable: string }): Promise<StagedApp> {
  for (const part of DIST_PARTS) {
    if (!existsSync(path.join(root, 'dist', part))) throw new Error(`dist/${part} is missing: run \`npm run build\` first`);
  }
  // Compiled once into node_modules/.cache/ruang-native (out of place), then reused.
  const build = await ensureElectronBuild({ root, electron, log: (line) => console.log(line) });

  const dir = mkdtempSync(path.join(tmpdir(), 'rr-electron-app-'));
  for (const part of DIST_PARTS) cpSync(path.join(root, 'dist', part), path.join(dir, 'dist', part), { recursive: true });
  const rootPackage = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  // type: module — dist/core/utility.js is an ES module.
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: rootPackage.name, version: rootPackage.version, type: 'module', main: 'dist/electron/main.cjs' }),
  );
  for (const name of RUNTIME_PACKAGES) {
    const source = path.join(root, 'node_modules', name);
    cpSync(source, path.join(dir, 'node_modules', name), {
      recursive: true,
      filter: (file) => {
        const relative = path.relative(source, file);
        return !/^(build|deps|src)(\/|\\|$)/.test(relative);
      },
    });
  }
  const binary = path.join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(path.dirname(binary), { recursive: true });
  copyFileSync(build.path, binary);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
