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
  // React 19 lives in this workspace's node_modules; the repository root keeps React 18 for
  // tap's reporter (ink). Every import of react, react-dom included, must get this one copy.
  resolve: {
    dedupe: ['react', 'react-dom'],
    // Radix's dialogs lock scrolling with a <style> element our CSP refuses: src/radix/remove-scroll.tsx says why and replaces it.
    alias: { 'react-remove-scroll': path.join(root, 'src/radix/remove-scroll.tsx') },
  },
  logLevel: 'warn',
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    // Everything the page needs is served from the API's own origin: no CDN, no remote fonts.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
