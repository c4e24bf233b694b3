import type { Redis } from 'ioredis';
import { redisKeys } from '../../redis/keys.js';

/**
 * What each notifier relayed, kept in Redis so that a deploy gate
 * (`flagship wait`, GET /v1/environments/{env}/relayed) can tell when every
 * running notifier has pushed a version to its sockets.
 *
 * Each notifier owns one hash (environment → last relayed version) that
 * expires `ttlMs` after its last refresh: a notifier that dies (killed, its
 * host gone, cut from Redis) stops counting once its report expires, so a
 * gate never waits forever on a process that no longer exists. Expiry is
 * Redis's own clock, so the processes' clocks never need to agree. A set
 * lists the reporters, so readers never SCAN a shared Redis; readers prune
 * the members whose report expired. Each write is announced on a channel, so
 * a deploy gate held open (relay-watch.ts) reads again at once.
 */

/** One notifier's report for one environment; `version` is null until it relayed anything there. */
export interface NotifierRelay {
  id: string;
  version: number | null;
}

/** Writes a notifier's whole report (every environment it relayed), refreshes its expiry, and announces it. */
export async function writeRelayReport(
  redis: Redis,
  prefix: string,
  notifierId: string,
  versions: ReadonlyMap<string, number>,
  ttlMs: number,
): Promise<void> {
  const key = redisKeys.relayReport(prefix, notifierId);
  const multi = redis.multi();
  if (versions.size > 0) multi.hset(key, Object.fromEntries([...versions].map(([environment, version]) => [environment, String(version)])));
  else multi.hset(key, '-', '0');
  multi.pexpire(key, ttlMs);
  multi.sadd(redisKeys.relayReporters(prefix), notifierId);
  multi.publish(redisKeys.relayReportedChannel(prefix), notifierId);
  await multi.exec();
}

/** Removes a notifier's report (it is closing: it relays nothing more). */
export async function removeRelayReport(redis: Redis, prefix: string, notifierId: string): Promise<void> {
  await redis.multi().del(redisKeys.relayReport(prefix, notifierId)).srem(redisKeys.relayReporters(prefix), notifierId).exec();
}

/** Every live notifier's last relayed version of `environment`, ordered by id; expired reporters are pruned. */
export async function readRelayReports(redis: Redis, prefix: string, environment: string): Promise<NotifierRelay[]> {
  const ids = (await redis.smembers(redisKeys.relayReporters(prefix))).sort();
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.exists(redisKeys.relayReport(prefix, id)).hget(redisKeys.relayReport(prefix, id), environment);
  const answers = (await pipeline.exec()) ?? [];
  const live: NotifierRelay[] = [];
  const expired: string[] = [];
  ids.forEach((id, index) => {
    const [existsError, exists] = answers[index * 2] ?? [];
    const [versionError, version] = answers[index * 2 + 1] ?? [];
    if (existsError) throw existsError;
    if (versionError) throw versionError;
    if (exists === 0) expired.push(id);
    else live.push({ id, version: typeof version === 'string' ? Number(version) : null });
  });
  if (expired.length > 0) await redis.srem(redisKeys.relayReporters(prefix), ...expired);
  return live;
}
