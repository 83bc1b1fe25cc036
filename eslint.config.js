// Lint: the layering table of README.md ("Import table"). A forbidden import is
// an error whose message points at the table. Per-folder tsconfigs enforce the same from
// the other side (no DOM types in shared/, no Node types in renderer/, ...).
import tseslint from 'typescript-eslint';

const TABLE = 'see README.md "Import table"';
const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'worker_threads', 'stream', 'events', 'util', 'zlib', 'process', 'buffer'];

/** One restricted-imports rule per layer. */
function layer(files, forbidden) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map(({ group, why }) => ({ group, message: `${why} — ${TABLE}` })),
        },
      ],
    },
  };
}

const FOLDERS = {
  renderer: ['**/renderer/**', '../renderer/*', '../../renderer/*'],
  electron: ['**/electron/**'],
  core: ['**/electron/core/**', '**/core/**'],
  server: ['**/server/**'],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  layer(['shared/**/*.ts'], [
    { group: nodeBuiltins, why: 'shared/ runs everywhere: no Node built-ins' },
    { group: ['electron', 'electron/*'], why: 'shared/ must not import electron' },
    { group: ['react', 'react-dom', 'react/*', '@lexical/react', '@lexical/react/*', 'zustand'], why: 'shared/ has no UI' },
    { group: ['better-sqlite3', 'ws', 'fastify', 'pg', '@electric-sql/*'], why: 'shared/ holds no storage or transport' },
    { group: [...FOLDERS.renderer, ...FOLDERS.electron, ...FOLDERS.server], why: 'shared/ imports only shared/' },
  ]),
  layer(['renderer/**/*.ts', 'renderer/**/*.tsx'], [
    { group: nodeBuiltins, why: 'renderer/ runs in a sandboxed page: no Node built-ins' },
    { group: ['electron', 'electron/*'], why: 'renderer/ reaches Electron only through the preload bridge' },
    { group: ['better-sqlite3', 'ws', 'fastify', 'pg'], why: 'renderer/ talks to core over RPC, never to storage' },
    { group: [...FOLDERS.electron, ...FOLDERS.server], why: 'renderer/ imports renderer/ and shared/ only' },
  ]),
  layer(['electron/preload/**/*.ts'], [
    { group: nodeBuiltins, why: 'preload exposes the bridge only' },
    { group: ['react', 'react-dom', 'better-sqlite3', 'yjs', 'lexical', '@lexical/*', 'zustand', 'ws'], why: 'preload exposes the bridge only' },
    { group: [...FOLDERS.renderer, ...FOLDERS.core, '**/electron/main/**', ...FOLDERS.server], why: 'preload imports electron and shared/ types only' },
  ]),
  layer(['electron/main/**/*.ts'], [
    { group: ['better-sqlite3', 'react', 'react-dom', 'lexical', '@lexical/*', 'zustand'], why: 'main holds no storage and no UI' },
    { group: [...FOLDERS.renderer, '**/electron/core/**', '../core/*', ...FOLDERS.server], why: 'main spawns core; it never imports its internals' },
  ]),
  layer(['server/**/*.ts'], [
    { group: ['electron', 'electron/*'], why: 'server/ is a plain Node process: never import electron' },
    { group: ['react', 'react-dom', 'react/*', '@lexical/react', '@lexical/react/*', 'zustand', 'i18next', 'react-i18next'], why: 'server/ has no UI' },
    { group: ['better-sqlite3'], why: 'server/ stores in PostgreSQL or PGlite, never SQLite' },
    { group: [...FOLDERS.renderer, ...FOLDERS.electron], why: 'server/ imports server/, shared/ and Node only' },
  ]),
  // Nothing outside server/ imports it: clients reach the server over HTTP only. (shared/,
  // renderer/ and electron/ forbid it in their own layer above; this covers the rest.)
  layer(['tests/**/*.ts', 'tests/**/*.tsx', 'build/**/*.ts', '*.ts'], [
    { group: FOLDERS.server, why: 'only server/ imports server/: everything else talks to it over HTTP' },
  ]),
  layer(['electron/core/**/*.ts'], [
    { group: ['electron', 'electron/*'], why: 'core runs in plain Node too (web mode, tests): never import electron' },
    { group: ['react', 'react-dom', 'react/*', '@lexical/react', '@lexical/react/*', 'zustand'], why: 'core has no UI' },
    { group: [...FOLDERS.renderer, '**/electron/main/**', '../main/*', '**/electron/preload/**', '../preload/*', ...FOLDERS.server], why: 'core imports core, shared/ and Node only' },
  ]),
);
