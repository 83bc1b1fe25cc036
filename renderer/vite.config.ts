import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served from a file/custom protocol (Electron) and from web mode's static
// server, so every asset URL is relative (base './'). The renderer's CSP (one for both,
// shared/web/contentSecurityPolicy.ts) allows only script-src 'self': no inline scripts,
// styles in a plain CSS file.
// (This file runs in Node at build time but lives in renderer/, whose lint forbids Node
// built-ins: paths come from import.meta.dirname, which Vite provides to configs.)
const root = import.meta.dirname;

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${root}/../dist/renderer`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
  },
});
