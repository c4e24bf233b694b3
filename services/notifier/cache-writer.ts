import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { storeSnapshotIfNewer } from '../../shared/domain/snapshots/snapshot-store.js';
import { rateLimitedWarn } from '../../shared/log-rate-limit.js';
import type { Logger } from '../../shared/logger.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';

/** Keeps the Redis snapshot cache up to date from the notifier's relayed changes. */
export interface CacheWriter {
  /**
   * Hands over an environment's newest snapshot and returns at once; it is
   * written in the background. `json` gives JSON.stringify(snapshot) when
   * the caller can make it faster (the relay joins it from each flag's JSON).
   */
  write(snapshot: Snapshot, json?: () => string): void;
  /** Resolves once nothing is being written (a write that keeps failing is given up at close). */
  idle(): Promise<void>;
  close(): void;
}

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 2000;

/**
 * Writes each environment's newest snapshot to Redis in the background, so
 * that relaying a change never waits for the cache: a stalled Redis delays no
 * socket. Per environment one write is in flight at a time, always of the
 * newest snapshot handed over (the store is compare-and-set, so skipping the
 * versions in between loses nothing); a failed write is retried with backoff
 * until it lands or a newer one replaces it. After Redis comes back (a
 * restart may have emptied it) every newest snapshot is written again.
 * Meanwhile API readers fall back to PostgreSQL.
 */
export function createCacheWriter(redis: Redis, prefix: string, logger: Logger, onError?: (error: unknown) => void): CacheWriter {
  const newest = new Map<string, { snapshot: Snapshot; json: () => string }>();
  /** The version Redis is known to hold (or something newer) per environment. */
  const stored = new Map<string, number>();
  const writing = new Map<string, Promise<void>>();
  const warn = rateLimitedWarn(logger, 'could not write the snapshot to Redis; retrying in the background');
  let closed = false;

  const behind = (environment: string) => {
    const entry = newest.get(environment);
    return entry !== undefined && (stored.get(environment) ?? -1) < entry.snapshot.version ? entry : undefined;
  };

  const drain = async (environment: string) => {
    let delay = RETRY_FIRST_MS;
    for (let entry = behind(environment); entry && !closed; entry = behind(environment)) {
      const { snapshot, json } = entry;
      try {
        // False means Redis already holds this version or a newer one: caught up either way.
        await storeSnapshotIfNewer(redis, prefix, snapshot, json());
        stored.set(environment, Math.max(stored.get(environment) ?? -1, snapshot.version));
        delay = RETRY_FIRST_MS;
      } catch (error) {
        onError?.(error);
        warn(error);
        await sleep(delay);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  };

  const pump = (environment: string) => {
    if (closed || writing.has(environment)) return;
    writing.set(environment, drain(environment).finally(() => {
      writing.delete(environment);
      // A snapshot handed over during the last write's final moments.
      if (behind(environment)) pump(environment);
    }));
  };

  const rewriteAll = () => {
    stored.clear();
    for (const environment of newest.keys()) pump(environment);
  };
  redis.on('ready', rewriteAll);

  return {
    write(snapshot, json) {
      const current = newest.get(snapshot.environment);
      if (current && current.snapshot.version >= snapshot.version) return;
      let made: string | undefined;
      // Made once, however often a failing write is retried.
      newest.set(snapshot.environment, { snapshot, json: json ?? (() => (made ??= JSON.stringify(snapshot))) });
      pump(snapshot.environment);
    },
    async idle() {
      while (writing.size > 0) await Promise.all(writing.values());
    },
    close() {
      closed = true;
      redis.off('ready', rewriteAll);
    },
  };
}
