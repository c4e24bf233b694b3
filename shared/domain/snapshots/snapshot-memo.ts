import type { Snapshot } from '../../schemas/snapshots.js';

/** A value derived from a snapshot, computed at most once per snapshot object. */
export interface SnapshotMemo<T> {
  (snapshot: Snapshot): T;
  /** Supplies the value for `snapshot` when it is already known (e.g. the text a snapshot was parsed from). */
  remember(snapshot: Snapshot, value: T): void;
}

/**
 * `derive`, memoised per snapshot object: the one mechanism for whatever is
 * derived from a snapshot (a serialised body, headers, compiled definitions,
 * Unleash's shapes, a diff between two snapshots).
 *
 * It rests on the contract of whoever hands snapshots out (SnapshotReader in
 * services/api/snapshots/snapshot-reader.ts, kept by the snapshot cache): a snapshot is
 * never mutated once handed out, and the same version comes back as the same
 * object for as long as it stands. So a value is derived once per version;
 * a reader that returns a fresh object per read (the database reader of
 * tests) only costs a recomputation, never a stale answer. Entries go with
 * their snapshot (a WeakMap): nothing is held for a version no longer served.
 */
export function memoPerSnapshot<T>(derive: (snapshot: Snapshot) => T): SnapshotMemo<T> {
  const derived = new WeakMap<Snapshot, T>();
  const memo = (snapshot: Snapshot): T => {
    if (derived.has(snapshot)) return derived.get(snapshot) as T;
    const value = derive(snapshot);
    derived.set(snapshot, value);
    return value;
  };
  memo.remember = (snapshot: Snapshot, value: T) => {
    derived.set(snapshot, value);
  };
  return memo;
}
