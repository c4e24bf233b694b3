import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { SnapshotSchema, type Snapshot, type SnapshotChanged } from '../../schemas/snapshots.js';
import { redisKeys } from '../../redis/keys.js';
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
 * a rolling one) is validated as before. A change to the schema's shape
 * changes the digest by itself; a change to a description only costs one
 * round of validation. A check the JSON Schema cannot show (a refine, a
 * transform) does not: bump FORMAT_REVISION with such a change.
 */
const FORMAT_REVISION = 1;
export const SNAPSHOT_FORMAT = createHash('sha256')
  .update(`${FORMAT_REVISION}\n${JSON.stringify(z.toJSONSchema(SnapshotSchema, { unrepresentable: 'any' }))}`)
  .digest('base64url')
  .slice(0, 16);

/**
 * What the store script writes in `format`: this code's format and the
 * version it wrote. A script from before the format existed updates `version`
 * and `snapshot` and leaves `format` alone, so a tag it left behind names
 * another version and is not trusted.
 */
const formatTag = (version: string | number) => `${SNAPSHOT_FORMAT}:${version}`;

// Compare-and-set in one script, so no reader's late write-back (a snapshot
// loaded from PostgreSQL before a change committed) can replace a newer one
// that the notifier stored meanwhile. Publishing in the same script means a
// subscriber hears of a version only once it is readable.
const STORE_IF_NEWER = `
local current = tonumber(redis.call('hget', KEYS[1], 'version'))
if current and current >= tonumber(ARGV[1]) then return 0 end
redis.call('hset', KEYS[1], 'version', ARGV[1], 'snapshot', ARGV[2], 'format', ARGV[6] .. ':' .. ARGV[1])
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
  const [json, format, version] = await redis.hmget(redisKeys.snapshot(prefix, environment), 'snapshot', 'format', 'version');
  if (json === null || json === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (version !== null && version !== undefined && format === formatTag(version) && isSnapshotEnvelope(parsed, environment, Number(version))) {
    // JSON.stringify wrote this text, so JSON.stringify of what it parses to gives it back.
    rememberSnapshotJson(parsed, json);
    return parsed;
  }
  const result = SnapshotSchema.safeParse(parsed);
  return result.success && result.data.environment === environment ? result.data : undefined;
}


/**
 * The envelope checked even when the format is this code's: the entry is the
 * environment's, at the version the hash names, with lists of flags and
 * segments. (What is inside was valid when this code wrote it; the type says
 * Snapshot on that ground.)
 */
function isSnapshotEnvelope(value: unknown, environment: string, version: number): value is Snapshot {
  if (typeof value !== 'object' || value === null) return false;
  const { environment: named, version: at, flags, segments } = value as Record<string, unknown>;
  return named === environment && at === version && Number.isSafeInteger(at) && Array.isArray(flags) && Array.isArray(segments);
}

/**
 * Flags in code-point order of their keys, the order loadSnapshot reads
 * (`collate "C"`: UTF-8 bytes, which sort as code points): snapshots built by
 * the notifier and loaded from PostgreSQL list their flags alike, so one
 * version always has one body.
 */
export function inKeyOrder<T extends { key: string }>(flags: T[]): T[] {
  return [...flags].sort((a, b) => compareCodePoints(a.key, b.key));
}

/**
 * Compares two strings by code point. JavaScript's `<` compares UTF-16 code
 * units, which puts a key with a character beyond U+FFFF (an emoji, 𝐀: a
 * surrogate pair, 0xD800–0xDFFF) before one with a character from U+E000 to
 * U+FFFF (ﬀ, ｚ). At the first unit that differs, surrogates are moved above
 * that range, the way ICU's u_strCmpCodePointOrder does.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    let x = a.charCodeAt(index);
    let y = b.charCodeAt(index);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Segments by id, as loadSnapshot lists them. */
export function inIdOrder<T extends { id: number }>(segments: T[]): T[] {
  return [...segments].sort((a, b) => a.id - b.id);
}
