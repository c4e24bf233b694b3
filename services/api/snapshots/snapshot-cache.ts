import type { Redis } from 'ioredis';
import { readCachedSnapshot, storeSnapshotIfNewer } from '../../../shared/domain/snapshots/snapshot-store.js';
import { loadSnapshot } from '../../../shared/domain/snapshots/snapshot-repository.js';
import type { Pool } from '../../../shared/db/pool.js';
import { trackRedisAvailability } from '../../../shared/redis/availability.js';
import { isDependencyFailure } from '../../../shared/dependency-failures.js';
import { DependencyUnavailableError, NotFoundError } from '../../../shared/errors.js';
import { rateLimitedWarn } from '../../../shared/log-rate-limit.js';
import type { Closable } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logger.js';
import { subscribeRedis } from '../../../shared/redis/connection.js';
import { SnapshotChangedSchema, type Snapshot, type SnapshotChanged } from '../../../shared/schemas/snapshots.js';
import { redisKeys } from '../../../shared/redis/keys.js';
import type { SnapshotCacheMetrics } from '../metrics.js';
import type { SnapshotReader } from './snapshot-reader.js';

export interface SnapshotCacheOptions {
  pool: Pool;
  /** For reads and write-backs; a duplicate of it subscribes to invalidations. */
  redis: Redis;
  redisPrefix: string;
  logger: Logger;
  /**
   * How long the in-process copy is served without asking Redis again. The
   * notifier's invalidation normally ends it within milliseconds; this bounds
   * staleness when an invalidation is lost. Default 5000 ms.
   */
  maxAgeMs?: number;
  /** Counts hits, misses and fallbacks to PostgreSQL (services/api/metrics.ts). */
  metrics?: SnapshotCacheMetrics;
  /** Test seam: runs after a snapshot was loaded from PostgreSQL and before it is written back to Redis. */
  beforeWriteBack?: (snapshot: Snapshot) => Promise<void>;
  now?: () => number;
}

export interface SnapshotCache extends SnapshotReader, Closable {
  /**
   * PostgreSQL said (NOTIFY) that an environment reached `version`: the path
   * that keeps SSE streams and reads current while Redis pub/sub is silent.
   */
  hint(change: SnapshotChanged): void;
}

/**
 * A PostgreSQL hint waits this long for the notifier's Redis message, which
 * normally follows within milliseconds and costs no query; past it (or at
 * once while Redis does not answer) the hint alone refreshes from PostgreSQL.
 */
const HINT_GRACE_MS = 50;
/** After a failed refresh, the last snapshot is served this long before trying again, so a partition costs one wait, not one per request. */
const RETRY_REFRESH_AFTER_MS = 1000;

interface Entry {
  /** The newest snapshot this process has served or seen for the environment: it never goes back. */
  snapshot: Snapshot;
  freshUntil: number;
}

/**
 * Environment snapshots for the API: an in-process copy, then Redis, then
 * PostgreSQL, invalidated through Redis pub/sub by the notifier and, should
 * that stay silent, by PostgreSQL's own NOTIFY (hint()).
 *
 * Last known good: when neither Redis nor PostgreSQL answers, the last
 * snapshot is served (running apps keep their flags); Redis is skipped at
 * once while it does not answer (redis-availability.ts).
 *
 * Never older than served: the in-process copy only ever moves to a higher
 * version, whatever a slower read returns. No stale write-back: a snapshot
 * loaded from PostgreSQL goes to Redis through the compare-and-set script,
 * which refuses it when the notifier stored a newer one meanwhile.
 */
export function createSnapshotCache(options: SnapshotCacheOptions): SnapshotCache {
  const { pool, redis, redisPrefix, logger } = options;
  const maxAgeMs = options.maxAgeMs ?? 5000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Snapshot>>();
  /** The highest version each environment's listeners were told of. */
  const announced = new Map<string, number>();
  const listeners = new Set<(change: SnapshotChanged) => void>();
  /** The highest version PostgreSQL announced per environment: a Redis copy older than it is not enough. */
  const hinted = new Map<string, number>();
  const availability = trackRedisAvailability(redis, logger);
  const warnFallback = rateLimitedWarn(logger, 'serving the last snapshot: neither Redis nor PostgreSQL answered');
  const hintTimers = new Set<NodeJS.Timeout>();

  const announce = (change: SnapshotChanged) => {
    if (change.version <= (announced.get(change.environment) ?? -1)) return;
    announced.set(change.environment, change.version);
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        logger.error({ err: error }, 'a snapshot change listener failed');
      }
    }
  };

  const remember = (snapshot: Snapshot): Snapshot => {
    const entry = entries.get(snapshot.environment);
    // The object already held stays when the version is the same: what routes derive
    // from it (serialised bodies, compiled definitions: shared/domain/snapshots/snapshot-memo.ts) stays too.
    const newest = entry && entry.snapshot.version >= snapshot.version ? entry.snapshot : snapshot;
    entries.set(snapshot.environment, { snapshot: newest, freshUntil: now() + maxAgeMs });
    announce({ environment: newest.environment, version: newest.version });
    return newest;
  };

  const readRedis = async (environment: string) => {
    // Skipped at once while Redis does not answer, instead of each read waiting for the command timeout.
    if (!availability.usable()) {
      options.metrics?.fallback();
      return undefined;
    }
    try {
      const cached = await readCachedSnapshot(redis, redisPrefix, environment);
      // Behind what PostgreSQL announced (the notifier has not written it yet, or cannot): read PostgreSQL.
      if (cached && cached.version >= (hinted.get(environment) ?? -1)) {
        options.metrics?.hit('redis');
        return cached;
      }
      options.metrics?.miss();
      return undefined;
    } catch (error) {
      availability.failed(error);
      options.metrics?.fallback(error);
      logger.warn({ err: error, environment }, 'could not read the snapshot from Redis');
      return undefined;
    }
  };

  const loadAndWriteBack = async (environment: string) => {
    const snapshot = await loadSnapshot(pool, environment);
    await options.beforeWriteBack?.(snapshot);
    // In the background: the reader has its snapshot, a slow Redis must not hold it.
    if (availability.usable()) {
      storeSnapshotIfNewer(redis, redisPrefix, snapshot).catch((error: unknown) => {
        availability.failed(error);
        logger.warn({ err: error, environment }, 'could not write the snapshot back to Redis');
      });
    }
    return snapshot;
  };

  const refresh = async (environment: string): Promise<Snapshot> => {
    try {
      return remember((await readRedis(environment)) ?? (await loadAndWriteBack(environment)));
    } catch (error) {
      if (error instanceof NotFoundError || !isDependencyFailure(error)) throw error;
      // Neither Redis nor PostgreSQL answered: what was served stays servable
      // (last-known-good, as SDKs promise), without a wait per request.
      const entry = entries.get(environment);
      if (entry) {
        warnFallback(error);
        entry.freshUntil = now() + RETRY_REFRESH_AFTER_MS;
        return entry.snapshot;
      }
      logger.warn({ err: error, environment }, 'no snapshot available: neither Redis nor PostgreSQL answered');
      throw new DependencyUnavailableError('flags are unavailable right now: try again shortly', error);
    }
  };

  const invalidate = (change: SnapshotChanged) => {
    const entry = entries.get(change.environment);
    if (entry && entry.snapshot.version >= change.version) return;
    if (entry) entry.freshUntil = 0;
    // A read still in flight may come back older than this: later callers start afresh.
    inFlight.delete(change.environment);
    // The message is only a hint: listeners hear of the version actually read
    // (remember() announces it), never of the one a message claims, which
    // would silence them until the database really got past it.
    if (listeners.size > 0) void get(change.environment).catch(() => undefined);
  };

  const subscriber = subscribeRedis(redis, logger, 'snapshot-changed subscriber', redisKeys.snapshotChangedChannel(redisPrefix), (message) => {
    let parsed;
    try {
      parsed = SnapshotChangedSchema.safeParse(JSON.parse(message));
    } catch {
      return;
    }
    if (parsed.success) invalidate(parsed.data);
  });
  let subscribedOnce = false;
  subscriber.on('ready', () => {
    if (!subscribedOnce) {
      subscribedOnce = true;
      return;
    }
    // Resubscribed after a lost connection: invalidations may have been
    // missed, so distrust every copy, and tell listeners of what moved meanwhile.
    for (const entry of entries.values()) entry.freshUntil = 0;
    for (const environment of new Set([...entries.keys(), ...announced.keys()])) {
      void get(environment).catch(() => undefined);
    }
  });

  const get = (environment: string): Promise<Snapshot> => {
    const entry = entries.get(environment);
    if (entry && entry.freshUntil > now()) {
      options.metrics?.hit('process');
      return Promise.resolve(entry.snapshot);
    }
    let pending = inFlight.get(environment);
    if (!pending) {
      pending = refresh(environment).finally(() => {
        if (inFlight.get(environment) === pending) inFlight.delete(environment);
      });
      inFlight.set(environment, pending);
    }
    // Whatever the read returned, serve the newest this process has seen.
    return pending.then((snapshot) => {
      const newest = entries.get(environment)?.snapshot;
      return newest && newest.version > snapshot.version ? newest : snapshot;
    });
  };

  const hint = (change: SnapshotChanged) => {
    if (change.version <= (hinted.get(change.environment) ?? -1)) return;
    hinted.set(change.environment, change.version);
    if (!availability.usable()) {
      invalidate(change);
      return;
    }
    const timer = setTimeout(() => {
      hintTimers.delete(timer);
      if ((entries.get(change.environment)?.snapshot.version ?? -1) < change.version) invalidate(change);
    }, HINT_GRACE_MS);
    hintTimers.add(timer);
  };

  return {
    get,
    hint,
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      for (const timer of hintTimers) clearTimeout(timer);
      hintTimers.clear();
      listeners.clear();
      subscriber.disconnect();
    },
  };
}
