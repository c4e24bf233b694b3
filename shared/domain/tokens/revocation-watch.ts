import { rateLimitedWarn } from '../../log-rate-limit.js';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Queryable } from '../../db/pool.js';
import { listRevokedTokenIds } from './token-repository.js';
import type { Closable } from '../../lifecycle.js';
import type { Logger } from '../../logger.js';
import { subscribeRedis } from '../../redis/connection.js';
import { redisKeys } from '../../redis/keys.js';

/**
 * How one process learns that a token it serves was revoked, whatever channel
 * serves it (the REST token cache, Socket.IO sockets, OFREP event streams):
 * every open use registers the token's id (never its secret) with a callback
 * that ends it.
 */
export interface RevocationWatch extends Closable {
  /** Calls `onRevoked` once, when the token is revoked; the returned function stops watching. */
  watch(tokenId: string, onRevoked: () => void): () => void;
  /** Tells every process (this one at once) of a committed revocation. Never throws: the poll covers a lost message. */
  announce(tokenId: string): Promise<void>;
}

export interface RevocationWatchOptions {
  pool: Queryable;
  /** Publishes revocations; a duplicate of it subscribes. */
  redis: Redis;
  /** The database-scoped prefix (databaseRedisPrefix, shared/redis/keys.ts): another installation's revocations are not ours. */
  redisPrefix: string;
  logger: Logger;
  /**
   * How often the watched ids are checked in PostgreSQL. This is the bound
   * for a revocation whose message was lost (Redis down or flushed) or that
   * was written straight into the database. Default 500 ms.
   */
  pollIntervalMs?: number;
}

const RevokedMessageSchema = z.object({ id: z.string() });

/** A revocation waits at most this long for Redis to take its message; the poll covers the rest. */
const PUBLISH_TIME_LIMIT_MS = 1000;

/**
 * Revocations reach every open channel in every process within a second: a
 * message on the database-scoped Redis channel does it at once, and a poll
 * of PostgreSQL for the watched ids every `pollIntervalMs` does it when
 * Redis is down or the revocation did not come through the API. The poll
 * costs one indexed query per interval per process, and none while nothing
 * is watched.
 */
export function createRevocationWatch(options: RevocationWatchOptions): RevocationWatch {
  const { pool, redis, redisPrefix, logger } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const channel = redisKeys.tokenRevokedChannel(redisPrefix);
  const watchers = new Map<string, Set<() => void>>();

  const revoke = (tokenId: string) => {
    const callbacks = watchers.get(tokenId);
    if (!callbacks) return;
    watchers.delete(tokenId);
    for (const callback of callbacks) {
      try {
        callback();
      } catch (error) {
        logger.error({ err: error, tokenId }, 'a revocation callback failed');
      }
    }
  };

  const subscriber = subscribeRedis(redis, logger, 'token-revoked subscriber', channel, (message) => {
    let parsed;
    try {
      parsed = RevokedMessageSchema.safeParse(JSON.parse(message));
    } catch {
      return;
    }
    if (parsed.success) revoke(parsed.data.id);
  });

  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  // Every poll fails while PostgreSQL is away: say so without a line per poll.
  const warnPollFailed = rateLimitedWarn(logger, 'could not check tokens for revocation; will try again');
  const poll = async () => {
    if (watchers.size === 0) return;
    for (const tokenId of await listRevokedTokenIds(pool, [...watchers.keys()])) revoke(tokenId);
  };
  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      poll()
        .catch(warnPollFailed)
        .finally(schedule);
    }, pollIntervalMs);
    timer.unref();
  };
  schedule();

  return {
    watch(tokenId, onRevoked) {
      let callbacks = watchers.get(tokenId);
      if (!callbacks) {
        callbacks = new Set();
        watchers.set(tokenId, callbacks);
      }
      callbacks.add(onRevoked);
      return () => {
        const current = watchers.get(tokenId);
        if (!current) return;
        current.delete(onRevoked);
        if (current.size === 0) watchers.delete(tokenId);
      };
    },
    async announce(tokenId) {
      revoke(tokenId);
      let timeLimit: NodeJS.Timeout | undefined;
      const publishing = redis.publish(channel, JSON.stringify({ id: tokenId }));
      // A publish that fails after the time limit won must not become an unhandled rejection.
      publishing.catch(() => undefined);
      try {
        await Promise.race([
          publishing,
          new Promise((_, reject) => {
            timeLimit = setTimeout(() => reject(new Error(`Redis did not answer within ${PUBLISH_TIME_LIMIT_MS} ms`)), PUBLISH_TIME_LIMIT_MS);
          }),
        ]);
      } catch (error) {
        logger.warn({ err: error, tokenId, pollIntervalMs }, 'could not publish a revocation; other processes see it at their next poll');
      } finally {
        clearTimeout(timeLimit);
      }
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      watchers.clear();
      subscriber.disconnect();
    },
  };
}
