import react from '@vitejs/plugin-react';
import { build } from 'vite';

/**
 * Builds the bare baseline page (tests/bench/bare) with Vite in production mode, the
 * same way the renderer is built, so app and baseline run equally optimised code.
 */
export async function buildBarePage(root: string, outDir: string): Promise<void> {
  await build({
    root,
    base: './',
    configFile: false,
    logLevel: 'warn',
    mode: 'production',
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      modulePreload: { polyfill: false },
      chunkSizeWarningLimit: 2000,
    },
  });
}
