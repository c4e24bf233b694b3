import type { Redis } from 'ioredis';
import { SnapshotSchema, redisKeys, type Snapshot, type SnapshotChanged } from '../schemas/snapshots.js';

/**
 * How long a cached snapshot lives without a rewrite. The notifier rewrites it
 * on every change, so this only matters while no notifier runs: readers then
 * fall back to PostgreSQL after at most this long instead of serving a frozen
 * snapshot for ever.
 */
export const SNAPSHOT_TTL_SECONDS = 300;

// Compare-and-set in one script, so no reader's late write-back (a snapshot
// loaded from PostgreSQL before a change committed) can replace a newer one
// that the notifier stored meanwhile. Publishing in the same script means a
// subscriber hears of a version only once it is readable.
const STORE_IF_NEWER = `
local current = tonumber(redis.call('hget', KEYS[1], 'version'))
if current and current >= tonumber(ARGV[1]) then return 0 end
redis.call('hset', KEYS[1], 'version', ARGV[1], 'snapshot', ARGV[2])
redis.call('expire', KEYS[1], tonumber(ARGV[3]))
redis.call('publish', ARGV[4], ARGV[5])
return 1
`;

/**
 * Stores an environment's snapshot unless Redis holds the same or a newer
 * version, and then publishes `snapshot-changed`. Returns whether it stored.
 * `json` is JSON.stringify(snapshot), for a caller that has it made already.
 */
export async function storeSnapshotIfNewer(redis: Redis, prefix: string, snapshot: Snapshot, json = JSON.stringify(snapshot)): Promise<boolean> {
  const changed: SnapshotChanged = { environment: snapshot.environment, version: snapshot.version };
  const stored = await redis.eval(
    STORE_IF_NEWER,
    1,
    redisKeys.snapshot(prefix, snapshot.environment),
    String(snapshot.version),
    json,
    String(SNAPSHOT_TTL_SECONDS),
    redisKeys.snapshotChangedChannel(prefix),
    JSON.stringify(changed),
  );
  return stored === 1;
}

/** The cached snapshot of an environment, or undefined when Redis holds none (or an unreadable one). */
export async function readCachedSnapshot(redis: Redis, prefix: string, environment: string): Promise<Snapshot | undefined> {
  const json = await redis.hget(redisKeys.snapshot(prefix, environment), 'snapshot');
  if (json === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  const result = SnapshotSchema.safeParse(parsed);
  return result.success ? result.data : undefined;
}

/**
 * Flags in code-point order of their keys: snapshots built by the notifier and
 * loaded from PostgreSQL (whose order follows the database collation) list
 * their flags alike, so one version always has one body.
 */
export function inKeyOrder<T extends { key: string }>(flags: T[]): T[] {
  return [...flags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Segments by id, as loadSnapshot lists them. */
export function inIdOrder<T extends { id: number }>(segments: T[]): T[] {
  return [...segments].sort((a, b) => a.id - b.id);
}
