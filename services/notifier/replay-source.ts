import type { Redis } from 'ioredis';
import type { RedisAvailability } from '../../shared/cache/redis-availability.js';
import { readCachedSnapshot } from '../../shared/cache/snapshot-store.js';
import { loadSnapshot } from '../../shared/db/snapshots.js';
import { requireEnvironment } from '../../shared/db/environments.js';
import { listEventsSince } from '../../shared/db/events.js';
import type { Queryable } from '../../shared/db/pool.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import { changeOfEvent, type FlagChange } from '../../shared/schemas/socket.js';

/** Where a newly connected socket's first messages come from. */
export interface ReplaySource {
  snapshot(environment: string): Promise<Snapshot>;
  currentVersion(environment: string): Promise<number>;
  /** The changes after `version`, in version order, at most `limit`. */
  changesSince(environment: string, version: number, limit: number): Promise<FlagChange[]>;
}

/**
 * Snapshots come from the Redis cache when it has one (a reconnect storm then
 * costs PostgreSQL little), else from PostgreSQL; changes always come from the
 * event table. A cached snapshot a little behind is harmless: the socket's
 * stream notices the gap before the next live change and fills it from the table.
 * While Redis does not answer, snapshots come straight from PostgreSQL.
 */
export function createReplaySource(db: Queryable, redis: Redis, redisPrefix: string, availability: RedisAvailability): ReplaySource {
  return {
    async snapshot(environment) {
      if (availability.usable()) {
        const cached = await readCachedSnapshot(redis, redisPrefix, environment).catch((error: unknown) => {
          availability.failed(error);
          return undefined;
        });
        if (cached) return cached;
      }
      return loadSnapshot(db, environment);
    },
    async currentVersion(environment) {
      return (await requireEnvironment(db, environment)).version;
    },
    async changesSince(environment, version, limit) {
      const events = await listEventsSince(db, environment, version, limit);
      return events.map(changeOfEvent);
    },
  };
}
