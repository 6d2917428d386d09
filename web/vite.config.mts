import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The search page: built into dist/web by `npm run build` and served by the gateway at /search/.
// Everything it loads is bundled here (no CDN), so it works on a machine with no internet.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/search/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // Browsers the gateway's users have; no legacy polyfills.
    target: 'es2022',
    sourcemap: false,
  },
});
