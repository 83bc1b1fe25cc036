#!/usr/bin/env node
// `npm run server -- --data DIR [--port N] [--host H] [--demo]`: rebuilds dist/server/main.js
// when a source it is bundled from (server/, shared/, package-lock.json) is newer, then runs
// it in this same process, so signals reach the server directly.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serverTarget } from './build-node.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
process.chdir(root);

function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

const outfile = path.join(root, serverTarget.outfile);
const sources = ['server', 'shared', 'package-lock.json', 'build/scripts/build-node.mjs'].map((s) => path.join(root, s));
const builtAt = existsSync(outfile) ? statSync(outfile).mtimeMs : 0;
if (sources.some((s) => newestMtime(s) > builtAt)) {
  const { build } = await import('esbuild');
  await build(serverTarget);
}

await import(pathToFileURL(outfile).href);
