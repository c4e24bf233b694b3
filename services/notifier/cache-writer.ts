import type { Redis } from 'ioredis';
import { storeSnapshotIfNewer } from '../../shared/cache/snapshot-store.js';
import type { Logger } from '../../shared/logger.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';

/** Keeps the Redis snapshot cache up to date from the notifier's relayed changes. */
export interface CacheWriter {
  /** Stores the snapshot unless Redis holds a newer one; never throws (Redis is only a cache). */
  write(snapshot: Snapshot): Promise<void>;
  close(): void;
}

/**
 * Writes each environment's newest snapshot to Redis. While Redis is away the
 * write is skipped rather than queued (relaying to sockets must not wait for a
 * cache), and when the connection is ready again the newest snapshots are
 * written at once: readers meanwhile fall back to PostgreSQL.
 */
export function createCacheWriter(redis: Redis, prefix: string, logger: Logger, onError?: (error: unknown) => void): CacheWriter {
  const newest = new Map<string, Snapshot>();

  const store = async (snapshot: Snapshot) => {
    try {
      await storeSnapshotIfNewer(redis, prefix, snapshot);
    } catch (error) {
      onError?.(error);
      logger.warn({ err: error, environment: snapshot.environment }, 'could not write the snapshot to Redis');
    }
  };
  const rewriteAll = () => {
    for (const snapshot of newest.values()) void store(snapshot);
  };
  redis.on('ready', rewriteAll);

  return {
    async write(snapshot) {
      newest.set(snapshot.environment, snapshot);
      if (redis.status === 'ready') await store(snapshot);
    },
    close() {
      redis.off('ready', rewriteAll);
    },
  };
}
