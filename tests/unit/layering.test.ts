import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layering table (README "Import table") must fail the build when broken. */
const root = path.resolve(__dirname, '../..');

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint', () => {
  it.each([
    ['shared/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['shared/probe.ts', "import { useState } from 'react';\nexport const x = useState;\n"],
    ['renderer/src/probe.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['renderer/src/probe.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['renderer/src/probe.ts', "import { openCore } from '../../electron/core/core';\nexport const x = openCore;\n"],
    ['electron/core/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/main/probe.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['server/probe.ts', "import { openCore } from '../electron/core/core';\nexport const x = openCore;\n"],
    ['server/routes/probe.ts', "import { App } from '../../renderer/src/App';\nexport const x = App;\n"],
    ['server/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['server/probe.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['shared/probe.ts', "import { buildApp } from '../server/app';\nexport const x = buildApp;\n"],
    ['electron/core/probe.ts', "import { buildApp } from '../../server/app';\nexport const x = buildApp;\n"],
    ['renderer/src/probe.ts', "import type { Database } from '../../server/db/database';\nexport type X = Database;\n"],
    ['tests/e2e/probe.ts', "import { buildApp } from '../../server/app';\nexport const x = buildApp;\n"],
  ])('%s: forbidden import is an error pointing at the import table', async (file, code) => {
    const errors = await restrictedImportErrors(file, code);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toContain('Import table');
  });

  it.each([
    ['shared/probe.ts', "import * as Y from 'yjs';\nimport { z } from 'zod';\nexport const x = [Y, z];\n"],
    ['renderer/src/probe.ts', "import { countWords } from '../../shared/text/wordCount';\nexport const x = countWords;\n"],
    ['electron/core/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    [
      'server/routes/probe.ts',
      "import Fastify from 'fastify';\nimport rateLimit from '@fastify/rate-limit';\nimport pg from 'pg';\nimport { PGlite } from '@electric-sql/pglite';\nimport { randomBytes } from 'node:crypto';\nimport { ROLES } from '../../shared/server-api/schemas';\nimport { buildApp } from '../app';\nexport const x = [Fastify, rateLimit, pg, PGlite, randomBytes, ROLES, buildApp];\n",
    ],
  ])('%s: allowed import passes', async (file, code) => {
    expect(await restrictedImportErrors(file, code)).toEqual([]);
  });
});

/** Runs tsc on one probe file under a folder's tsconfig; returns its diagnostics. */
function typecheckProbe(folderTsconfig: string, source: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rr-layer-'));
  try {
    const probe = path.join(dir, 'probe.ts');
    writeFileSync(probe, source);
    const config = path.join(dir, 'tsconfig.json');
    writeFileSync(
      config,
      JSON.stringify({ extends: path.join(root, folderTsconfig), include: [probe], compilerOptions: { typeRoots: [path.join(root, 'node_modules/@types')] } }),
    );
    try {
      execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', config], { encoding: 'utf8' });
      return '';
    } catch (error) {
      return String((error as { stdout?: string }).stdout);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('layering typecheck', () => {
  it('server/ has Node types but no DOM: using document fails tsc, process passes', () => {
    const output = typecheckProbe('server/tsconfig.json', 'export const a = document.title;\nexport const b = process.pid;\n');
    expect(output).toMatch(/Cannot find name 'document'/);
    expect(output).not.toMatch(/Cannot find name 'process'/);
    expect(output.match(/error TS/g)).toHaveLength(1);
  });

  it('server/ importing renderer/ code fails tsc: renderer code uses the DOM, which server/tsconfig.json lacks', () => {
    // Any renderer module that touches window or document will do; pick one at run time.
    const rendererFile = readdirSync(path.join(root, 'renderer/src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => path.join(root, 'renderer/src', f))
      .find((f) => /\b(window|document)\./.test(readFileSync(f, 'utf8')));
    expect(rendererFile).toBeDefined();
    const output = typecheckProbe('server/tsconfig.json', `export * from '${rendererFile!.replace(/\.ts$/, '')}';\n`);
    expect(output).toMatch(/renderer\/src\/.*Cannot find name '(window|document)'/);
    // (Importing electron/core, plain Node code, would compile: ESLint refuses that, above.)
  });

  it('shared/ has no DOM and no Node types: using document or process fails tsc', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rr-layer-'));
    try {
      const probe = path.join(dir, 'probe.ts');
      writeFileSync(probe, 'export const a = document.title;\nexport const b = process.pid;\n');
      const config = path.join(dir, 'tsconfig.json');
      writeFileSync(
        config,
        JSON.stringify({ extends: path.join(root, 'shared/tsconfig.json'), include: [probe], compilerOptions: { typeRoots: [] } }),
      );
      let output = '';
      try {
        execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', config], { encoding: 'utf8' });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout);
      }
      expect(output).toMatch(/Cannot find name 'document'/);
      expect(output).toMatch(/Cannot find name 'process'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
