/**
 * `npm run build`, and the first step of every `npm start`: transpiles the
 * server to dist/ and builds the console with Vite, each only when its
 * sources changed since its last build (a content hash), so a start with
 * nothing changed costs a hash of the sources. `--server-only` skips the
 * console (the notifier, the worker and migrations do not serve it).
 */
import { ensureConsoleBuilt } from './build/console-build.js';
import { ensureServerBuilt } from './build/server-build.js';

const serverOnly = process.argv.includes('--server-only');
try {
  const builtServer = await ensureServerBuilt();
  const builtConsole = serverOnly ? false : await ensureConsoleBuilt();
  if (builtServer || builtConsole) {
    process.stderr.write(`built ${[builtServer && 'the server (dist/)', builtConsole && 'the console'].filter(Boolean).join(' and ')}\n`);
  }
} catch (error) {
  process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
