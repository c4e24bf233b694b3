import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Pool } from '../../../shared/db/pool.js';
import { findActiveToken, hashSecret } from '../../../shared/db/tokens.js';
import type { Closable } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logger.js';
import { duplicateRedis } from '../../../shared/redis.js';
import type { Token } from '../../../shared/schemas/tokens.js';

/** How the API finds the token of a secret, and hears that one was revoked. */
export interface TokenLookup {
  /** The live token whose secret this is, if any. */
  find(secret: string): Promise<Token | undefined>;
  /** Called after a revocation committed: the token must stop working at once. */
  revoked(tokenId: string): Promise<void>;
}

/** A query per lookup: what buildApp uses when it is given no cache (tests that build the app alone). */
export function uncachedTokenLookup(pool: Pool): TokenLookup {
  return { find: (secret) => findActiveToken(pool, secret), revoked: async () => undefined };
}

export interface TokenCacheOptions {
  pool: Pool;
  /** Publishes revocations; a duplicate of it subscribes to them. */
  redis: Redis;
  redisPrefix: string;
  logger: Logger;
  /**
   * How long a remembered token is trusted without asking PostgreSQL again.
   * Revocations through the API end it at once; this bounds one written
   * straight into the database, or whose message was lost. Default 5000 ms.
   */
  maxAgeMs?: number;
  now?: () => number;
}

export interface TokenCache extends TokenLookup, Closable {}

const RevokedMessageSchema = z.object({ id: z.string() });

/** At most this many tokens are remembered; past it the oldest go (live tokens are few; this only bounds memory). */
const MAX_ENTRIES = 10_000;
/** A revocation waits at most this long for Redis to take its message; the age bound covers the rest. */
const PUBLISH_TIME_LIMIT_MS = 1000;

export function tokenRevokedChannel(prefix: string): string {
  return `${prefix}:token-revoked`;
}

/**
 * Remembers live tokens in this API process, so an authenticated read costs
 * no PostgreSQL query (the bench measured a query per request as the largest
 * cost of GET /v1/client/flags after Express itself).
 *
 * A revocation takes effect at once in every API process: the one that
 * revoked forgets the token before it answers, and tells the others over
 * Redis pub/sub. A lookup that was in flight during a revocation is not
 * remembered (a generation counter), so it cannot bring a revoked token
 * back; after the subscriber reconnects everything is forgotten, since
 * messages may have been missed meanwhile. Unknown secrets are never
 * remembered: a token created by another process works at once.
 */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const { pool, redis, redisPrefix, logger } = options;
  const maxAgeMs = options.maxAgeMs ?? 5000;
  const now = options.now ?? Date.now;
  const channel = tokenRevokedChannel(redisPrefix);
  const entries = new Map<string, { token: Token; freshUntil: number }>();
  let generation = 0;

  const forget = (tokenId: string) => {
    generation += 1;
    for (const [hash, entry] of entries) if (entry.token.id === tokenId) entries.delete(hash);
  };
  const forgetAll = () => {
    generation += 1;
    entries.clear();
  };

  const subscriber = duplicateRedis(redis, logger, 'token-revoked subscriber');
  subscriber.on('message', (_channel: string, message: string) => {
    let parsed;
    try {
      parsed = RevokedMessageSchema.safeParse(JSON.parse(message));
    } catch {
      return;
    }
    if (parsed.success) forget(parsed.data.id);
  });
  let subscribedOnce = false;
  subscriber.on('ready', () => {
    if (subscribedOnce) forgetAll();
    subscribedOnce = true;
  });
  subscriber.subscribe(channel).catch((error: unknown) => logger.warn({ err: error }, 'could not subscribe to token revocations'));

  return {
    async find(secret) {
      const hash = hashSecret(secret);
      const entry = entries.get(hash);
      if (entry && entry.freshUntil > now()) return entry.token;
      entries.delete(hash);
      const startedIn = generation;
      const token = await findActiveToken(pool, secret);
      if (token && startedIn === generation) {
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        entries.set(hash, { token, freshUntil: now() + maxAgeMs });
      }
      return token;
    },
    async revoked(tokenId) {
      forget(tokenId);
      let timeLimit: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          redis.publish(channel, JSON.stringify({ id: tokenId })),
          new Promise((_, reject) => {
            timeLimit = setTimeout(() => reject(new Error(`Redis did not answer within ${PUBLISH_TIME_LIMIT_MS} ms`)), PUBLISH_TIME_LIMIT_MS);
          }),
        ]);
      } catch (error) {
        // The revocation is committed; other API processes stop trusting the token within maxAgeMs anyway.
        logger.warn({ err: error, tokenId, maxAgeMs }, 'could not tell the other API processes of a revocation');
      } finally {
        clearTimeout(timeLimit);
      }
    },
    async close() {
      entries.clear();
      subscriber.disconnect();
    },
  };
}
