/**
 * `npm run bench` (tests/bench/README.md): runs the benchmarks, prints one JSON object to
 * stdout and, with --out FILE, writes it there too. Progress and every reason a benchmark
 * could not run go to stderr; a benchmark that cannot run leaves its id out.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anySelected, parseBenchArgs, selected } from './args';
import { launchChromium } from './browser';
import type { Browser } from 'playwright';
import type { BenchContext, BenchPaths, ServerBenchContext } from './context';
import { EDITOR_IDS, runEditorBenchmarks } from './editorBench';
import { LIST_IDS, runListBenchmarks } from './listBench';
import { PROTOCOL_IDS, runProtocolBenchmarks } from './protocolBench';
import { runServerBenchmarks, SERVER_IDS } from './serverBench';
import { runSyncBenchmarks, SYNC_IDS } from './syncBench';
import { runUploadBenchmarks, UPLOAD_IDS } from './uploadBench';

/** Ids of the contract this slice cannot measure yet, and why. */
const NOT_YET: ReadonlyArray<{ ids: readonly string[]; why: string }> = [];

type Group =
  | { name: string; ids: readonly string[]; browser: true; run: (ctx: BenchContext) => Promise<void> }
  | { name: string; ids: readonly string[]; browser: false; run: (ctx: ServerBenchContext) => Promise<void> };

const GROUPS: readonly Group[] = [
  { name: 'editor (keystroke.*, open.*)', ids: EDITOR_IDS, browser: true, run: runEditorBenchmarks },
  { name: 'list (start.list10k.ms, search.10k.ms)', ids: LIST_IDS, browser: true, run: runListBenchmarks },
  { name: 'server (server.*)', ids: SERVER_IDS, browser: false, run: runServerBenchmarks },
  { name: "sync through core's engine (sync.*)", ids: SYNC_IDS, browser: false, run: runSyncBenchmarks },
  { name: 'sync protocol without core (protocol.*)', ids: PROTOCOL_IDS, browser: false, run: runProtocolBenchmarks },
  { name: 'photo uploads (upload.*)', ids: UPLOAD_IDS, browser: false, run: runUploadBenchmarks },
];

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function repoPaths(): BenchPaths {
  // This file is bundled to dist/bench/run.js.
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return {
    repoRoot,
    webJs: join(repoRoot, 'dist', 'core', 'web.js'),
    bareSource: join(repoRoot, 'tests', 'bench', 'bare'),
    bareOut: join(repoRoot, 'dist', 'bench', 'bare'),
  };
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2));
  const started = new Date().toISOString();
  const results: Record<string, number> = {};
  let failures = 0;

  for (const { ids, why } of NOT_YET) {
    for (const id of ids) if (selected(id, args.only)) log(`${id}: not run — ${why}`);
  }

  const groups = GROUPS.filter((g) => anySelected(g.ids, args.only));
  let browserVersion = 'not launched';
  // Only groups that drive pages need Chromium: `--only server` runs without one.
  let browser: Browser | null = null;
  const allIds = GROUPS.flatMap((g) => g.ids);
  const base: ServerBenchContext = {
    paths: repoPaths(),
    wants: (prefix) => allIds.some((id) => id.startsWith(prefix) && selected(id, args.only)),
    record(id, value) {
      if (!selected(id, args.only)) return;
      if (!Number.isFinite(value)) throw new Error(`${id}: measured a non-number (${value})`);
      results[id] = value;
      log(`${id} = ${value}`);
    },
    log,
  };
  try {
    for (const group of groups) {
      const t0 = Date.now();
      try {
        if (group.browser) {
          if (!browser) {
            browser = await launchChromium();
            browserVersion = `Chromium ${browser.version()}`;
          }
          await group.run({ ...base, browser });
        } else {
          await group.run(base);
        }
        log(`${group.name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } catch (error) {
        failures++;
        const missing = group.ids.filter((id) => selected(id, args.only) && !(id in results));
        log(`${group.name}: could not run — ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (missing.length) log(`left out: ${missing.join(', ')}`);
      }
    }
  } finally {
    await browser?.close();
  }

  const report = {
    started,
    machine: { cpus: cpus().length, node: process.version, browser: browserVersion },
    results,
  };
  const json = JSON.stringify(report, null, 2);
  if (args.out) {
    mkdirSync(dirname(resolve(args.out)), { recursive: true });
    writeFileSync(args.out, `${json}\n`);
    log(`wrote ${args.out}`);
  }
  process.stdout.write(`${json}\n`);
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
