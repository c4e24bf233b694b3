/** The Node entry: everything in `@flagship/sdk`, plus what needs Node's built-ins. */
export * from './index.js';
export { fileSnapshotStore } from './file-snapshot-store.js';
