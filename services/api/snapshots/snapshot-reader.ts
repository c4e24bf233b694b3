import { loadSnapshot } from '../../../shared/domain/snapshots/snapshot-repository.js';
import type { Pool } from '../../../shared/db/pool.js';
import type { Snapshot, SnapshotChanged } from '../../../shared/schemas/snapshots.js';

/** Where the API reads environment snapshots from, and learns that one changed. */
export interface SnapshotReader {
  /**
   * The environment's newest snapshot. The contract every value derived
   * from a snapshot rests on (shared/domain/snapshots/snapshot-memo.ts): the object
   * handed out is never mutated, and a reader that caches (snapshot-cache.ts)
   * hands out the same object for as long as its version stands, so what is
   * derived from it is derived once per version. A reader may hand out a
   * fresh object per read (the database reader): that costs a recomputation,
   * never a wrong answer.
   */
  get(environment: string): Promise<Snapshot>;
  /** Calls `listener` after each newer snapshot becomes readable; returns the unsubscribe. */
  onChange(listener: (change: SnapshotChanged) => void): () => void;
}

/**
 * Reads straight from PostgreSQL and never announces changes. The services
 * use the Redis-backed cache (snapshot-cache.ts); this reader serves tests of
 * the API alone, where a read must see a write without a notifier running.
 */
export function createDatabaseSnapshotReader(pool: Pool): SnapshotReader {
  return {
    get: (environment) => loadSnapshot(pool, environment),
    onChange: () => () => undefined,
  };
}
