import { loadSnapshot } from '../../shared/db/snapshots.js';
import type { Pool } from '../../shared/db/pool.js';
import type { Snapshot, SnapshotChanged } from '../../shared/schemas/snapshots.js';

/** Where the API reads environment snapshots from, and learns that one changed. */
export interface SnapshotReader {
  get(environment: string): Promise<Snapshot>;
  /** Calls `listener` after each newer snapshot becomes readable; returns the unsubscribe. */
  onChange(listener: (change: SnapshotChanged) => void): () => void;
}

/**
 * Reads straight from PostgreSQL. INTERIM: the Redis-backed cache (issue 3)
 * replaces this; until then onChange never fires.
 */
export function createDatabaseSnapshotReader(pool: Pool): SnapshotReader {
  return {
    get: (environment) => loadSnapshot(pool, environment),
    onChange: () => () => undefined,
  };
}
