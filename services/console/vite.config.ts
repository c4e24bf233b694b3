import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

/** The admin console: built into services/console/dist, which the API serves at `/`. */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    // Everything the page needs is served from the API's own origin: no CDN, no remote fonts.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
