// The console is built as `npm start` builds it (scripts/build/console-build.ts):
// once for all test files, only when its sources changed, under the same lock.
export { CONSOLE_DIST, ensureConsoleBuilt } from '../../../scripts/build/console-build.js';
