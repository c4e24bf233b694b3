import path from 'node:path';
import { buildIfChanged, filesUnder, REPO_ROOT } from './build-stamp.js';

const CONSOLE_DIR = path.join(REPO_ROOT, 'services/console');
/** Where Vite writes the console (services/console/vite.config.ts); the API serves it at `/`. */
export const CONSOLE_DIST = path.join(CONSOLE_DIR, 'dist');

/** What the console's build reads: its own sources, the shared schemas it imports, the locked dependency versions. */
async function consoleInputs(): Promise<string[]> {
  return [
    ...(await filesUnder(CONSOLE_DIR)),
    ...(await filesUnder(path.join(REPO_ROOT, 'shared'), (file) => /\.tsx?$/.test(file))),
    path.join(REPO_ROOT, 'package-lock.json'),
  ];
}

/**
 * Builds the admin console with Vite when its sources changed since the last
 * build, else does nothing: `npm start` and the console tests share it, and
 * the lock keeps two of them from emptying each other's output.
 */
export async function ensureConsoleBuilt(): Promise<boolean> {
  return buildIfChanged({
    name: 'the console',
    inputs: consoleInputs,
    stamp: path.join(CONSOLE_DIST, '.build-hash'),
    lock: path.join(CONSOLE_DIR, '.build-lock'),
    build: async () => {
      const { build } = await import('vite');
      await build({ configFile: path.join(CONSOLE_DIR, 'vite.config.ts'), logLevel: 'warn' });
    },
  });
}
