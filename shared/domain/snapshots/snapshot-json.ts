import type { Snapshot } from '../../schemas/snapshots.js';
import { memoPerSnapshot } from './snapshot-memo.js';

/** JSON.stringify(snapshot): the text it was read from when known, else made once per snapshot. */
export const snapshotJson = memoPerSnapshot((snapshot) => JSON.stringify(snapshot));

/**
 * Remembers that `json` is exactly JSON.stringify(snapshot): the snapshot
 * was parsed from text that JSON.stringify wrote (a cached snapshot of this
 * code's format, snapshot-store.ts). A snapshot of 10,000 flags is 6 MiB of
 * JSON; whoever sends it as JSON then sends that text instead of making it
 * again.
 */
export function rememberSnapshotJson(snapshot: Snapshot, json: string): void {
  snapshotJson.remember(snapshot, json);
}
