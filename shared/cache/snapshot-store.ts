import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { SnapshotSchema, redisKeys, type Snapshot, type SnapshotChanged } from '../schemas/snapshots.js';
import { rememberSnapshotJson } from './snapshot-json.js';

/**
 * How long a cached snapshot lives without a rewrite. The notifier rewrites it
 * on every change, so this only matters while no notifier runs: readers then
 * fall back to PostgreSQL after at most this long instead of serving a frozen
 * snapshot for ever.
 */
export const SNAPSHOT_TTL_SECONDS = 300;

/**
 * The shape of the snapshots this code writes: a digest of SnapshotSchema as
 * JSON Schema, stored beside each cached snapshot. An entry of the same format
 * was written by this code, as JSON.stringify of a snapshot that was valid, so
 * it is read without validating it again: at 10,000 flags with rules the
 * schema check took 60–110 ms of a reader's thread on every change. An entry
 * of another format (written before an upgrade, or by another version during
 * a rolling one) is validated as before. Any change to the schema changes the
 * digest; a change to a description only costs one round of validation.
 */
export const SNAPSHOT_FORMAT = createHash('sha256').update(JSON.stringify(z.toJSONSchema(SnapshotSchema))).digest('base64url').slice(0, 16);

// Compare-and-set in one script, so no reader's late write-back (a snapshot
// loaded from PostgreSQL before a change committed) can replace a newer one
// that the notifier stored meanwhile. Publishing in the same script means a
// subscriber hears of a version only once it is readable.
const STORE_IF_NEWER = `
local current = tonumber(redis.call('hget', KEYS[1], 'version'))
if current and current >= tonumber(ARGV[1]) then return 0 end
redis.call('hset', KEYS[1], 'version', ARGV[1], 'snapshot', ARGV[2], 'format', ARGV[6])
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
    SNAPSHOT_FORMAT,
  );
  return stored === 1;
}

/**
 * The cached snapshot of an environment, or undefined when Redis holds none
 * (or an unreadable one, or one of another environment). One of this code's
 * format is taken as it parses, and its text is remembered as the snapshot's
 * JSON (snapshot-json.ts); any other is validated against the schema.
 */
export async function readCachedSnapshot(redis: Redis, prefix: string, environment: string): Promise<Snapshot | undefined> {
  const [json, format] = await redis.hmget(redisKeys.snapshot(prefix, environment), 'snapshot', 'format');
  if (json === null || json === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (format === SNAPSHOT_FORMAT && isSnapshotEnvelope(parsed, environment)) {
    // JSON.stringify wrote this text, so JSON.stringify of what it parses to gives it back.
    rememberSnapshotJson(parsed, json);
    return parsed;
  }
  const result = SnapshotSchema.safeParse(parsed);
  return result.success && result.data.environment === environment ? result.data : undefined;
}

/** The envelope a snapshot has, checked even when its format is known: an entry must be the environment's, at a version. */
function isSnapshotEnvelope(value: unknown, environment: string): value is Snapshot {
  if (typeof value !== 'object' || value === null) return false;
  const { environment: named, version, flags, segments } = value as Record<string, unknown>;
  return named === environment && Number.isSafeInteger(version) && Array.isArray(flags) && Array.isArray(segments);
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
