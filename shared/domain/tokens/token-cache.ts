import type { Pool } from '../../db/pool.js';
import { findActiveToken, hashSecret } from './token-repository.js';
import { isDependencyFailure } from '../../dependency-failures.js';
import type { Closable } from '../../lifecycle.js';
import { rateLimitedWarn } from '../../log-rate-limit.js';
import type { Logger } from '../../logger.js';
import type { Token } from '../../schemas/tokens.js';
import type { RevocationWatch } from './revocation-watch.js';

/** How a service (API, notifier) finds the token of a secret, and hears that one was revoked. */
export interface TokenLookup {
  /** The live token whose secret this is, if any. */
  find(secret: string): Promise<Token | undefined>;
  /** Called after a revocation committed: the token must stop working at once, in every process. */
  revoked(tokenId: string): Promise<void>;
}

/** A query per lookup: what buildApp uses when it is given no cache (tests that build the app alone). */
export function uncachedTokenLookup(pool: Pool, revocations: RevocationWatch): TokenLookup {
  return { find: (secret) => findActiveToken(pool, secret), revoked: (tokenId) => revocations.announce(tokenId) };
}

export interface TokenCacheOptions {
  pool: Pool;
  /** Ends a remembered token when it is revoked, in this process or another (shared/domain/tokens/revocation-watch.ts). */
  revocations: RevocationWatch;
  /** Says when a token is trusted from memory because PostgreSQL did not answer. */
  logger: Logger;
  /**
   * How long a remembered token is kept without asking PostgreSQL again; a
   * revocation ends it at once (the watch), this only refreshes what changes
   * otherwise. Default 60 s.
   */
  maxAgeMs?: number;
  now?: () => number;
}

export interface TokenCache extends TokenLookup, Closable {}

/** At most this many tokens are remembered; past it the oldest go (live tokens are few; this only bounds memory). */
const MAX_ENTRIES = 10_000;
/** How long a known token's refresh may take before the known token answers (PostgreSQL slow or away). */
const LAST_KNOWN_GOOD_WAIT_MS = 250;
/** After a refresh failed or ran late, the known token is trusted this long before the next refresh. */
const RETRY_LOOKUP_AFTER_MS = 1000;

interface Entry {
  token: Token;
  freshUntil: number;
  stopWatching: () => void;
}

/**
 * Remembers live tokens in this process, keyed by the hash of their secret
 * (never the secret), so an authenticated read or a Socket.IO handshake costs
 * no PostgreSQL query (the bench measured a query per request as the largest
 * cost of GET /v1/client/flags after Express itself, and a reconnect storm of
 * 10,000 sockets cost 10,000 queries). The API and the notifier each hold one.
 *
 * Each remembered token is watched for revocation, which forgets it at once,
 * in this process and every other (Redis message, else the watch's poll of
 * PostgreSQL within a second). A lookup that was in flight during a
 * revocation is not remembered (a generation counter), so it cannot bring a
 * revoked token back. Unknown secrets are never remembered: a token created
 * by another process works at once.
 *
 * Last known good: a token this process knew, not revoked as far as it
 * heard, stays trusted while PostgreSQL is away (running apps keep their
 * flags, and their sockets reconnect after a blip). Its refresh gets LAST_KNOWN_GOOD_WAIT_MS, then the known token
 * answers and the refresh goes on in the background (a revocation it finds
 * still removes it); for RETRY_LOOKUP_AFTER_MS after that, no request waits.
 */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const { pool, revocations } = options;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let generation = 0;

  const drop = (hash: string) => {
    entries.get(hash)?.stopWatching();
    entries.delete(hash);
  };
  const forget = (tokenId: string) => {
    generation += 1;
    for (const [hash, entry] of entries) if (entry.token.id === tokenId) drop(hash);
  };

  const warnFallback = rateLimitedWarn(options.logger, 'PostgreSQL did not answer a token lookup: trusting the token as last known');
  const lastKnownGood = async (hash: string, lookup: Promise<Token | undefined>, entry: Entry): Promise<Token | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), LAST_KNOWN_GOOD_WAIT_MS);
    });
    try {
      const result = await Promise.race([lookup, late]);
      if (result !== 'late') return result;
    } catch (error) {
      if (!isDependencyFailure(error)) throw error;
      warnFallback(error);
    } finally {
      clearTimeout(timer);
    }
    lookup.catch(() => undefined);
    // Forgotten meanwhile: revoked.
    if (entries.get(hash) !== entry) return undefined;
    entry.freshUntil = now() + RETRY_LOOKUP_AFTER_MS;
    return entry.token;
  };

  return {
    async find(secret) {
      const hash = hashSecret(secret);
      const entry = entries.get(hash);
      if (entry && entry.freshUntil > now()) return entry.token;
      const startedIn = generation;
      const lookup = findActiveToken(pool, secret).then((token) => {
        if (!token) drop(hash);
        else if (startedIn === generation) {
          drop(hash);
          if (entries.size >= MAX_ENTRIES) drop(entries.keys().next().value!);
          const stopWatching = revocations.watch(token.id, () => forget(token.id));
          entries.set(hash, { token, freshUntil: now() + maxAgeMs, stopWatching });
        }
        return token;
      });
      return entry ? lastKnownGood(hash, lookup, entry) : lookup;
    },
    async revoked(tokenId) {
      forget(tokenId);
      await revocations.announce(tokenId);
    },
    async close() {
      for (const hash of [...entries.keys()]) drop(hash);
    },
  };
}
