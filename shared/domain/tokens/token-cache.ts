import type { Pool } from '../../db/pool.js';
import { findActiveToken, hashSecret } from './token-repository.js';
import { freshInTime, RevocableMemory } from '../../cache/last-known-good.js';
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
/** After a refresh failed or ran late, the known token is trusted this long before the next refresh. */
const RETRY_LOOKUP_AFTER_MS = 1000;

interface Entry {
  token: Token;
  freshUntil: number;
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
 * PostgreSQL within a second). Unknown secrets are never remembered: a token
 * created by another process works at once.
 *
 * Last known good (shared/cache/last-known-good.ts, which also settles the
 * races with revocations): a token this process knew, not revoked as far as
 * it heard, stays trusted while PostgreSQL is away (running apps keep their
 * flags, and their sockets reconnect after a blip). Its refresh gets
 * LAST_KNOWN_GOOD_WAIT_MS, then the known token answers and the refresh goes
 * on in the background (a revocation it finds still removes it); for
 * RETRY_LOOKUP_AFTER_MS after that, no request waits.
 */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const { pool, revocations } = options;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  const memory = new RevocableMemory<Entry>((tokenId, onRevoked) => revocations.watch(tokenId, onRevoked), MAX_ENTRIES);
  /**
   * The lookup in flight per secret hash: concurrent finds of one secret share
   * it (a reconnect storm of thousands of sockets with one token, or every
   * handshake once its entry aged, is one query, not one per socket: the
   * capacity bench's 50,000 sockets exhausted the pool's connections
   * otherwise). Shared only within a generation: a find after a revocation
   * never takes an answer read before it.
   */
  const inFlight = new Map<string, { generation: number; lookup: Promise<Token | undefined> }>();

  const warnFallback = rateLimitedWarn(options.logger, 'PostgreSQL did not answer a token lookup: trusting the token as last known');
  const lastKnownGood = async (hash: string, lookup: Promise<Token | undefined>, entry: Entry): Promise<Token | undefined> => {
    const fresh = await freshInTime(lookup, warnFallback);
    if (fresh !== 'fallback') return fresh.answer;
    const current = memory.get(hash);
    // Forgotten meanwhile: revoked.
    if (current === undefined) return undefined;
    // Refreshed meanwhile by a concurrent lookup (a reconnect storm once the entry aged): that
    // lookup found the token live. Taking the replacement for a revocation refused live tokens.
    if (current !== entry) return current.token;
    entry.freshUntil = now() + RETRY_LOOKUP_AFTER_MS;
    return entry.token;
  };

  return {
    async find(secret) {
      const hash = hashSecret(secret);
      const entry = memory.get(hash);
      if (entry && entry.freshUntil > now()) return entry.token;
      const startedIn = memory.startLookup();
      const shared = inFlight.get(hash);
      let lookup: Promise<Token | undefined>;
      if (shared && shared.generation === startedIn) lookup = shared.lookup;
      else {
        lookup = findActiveToken(pool, secret).then((token) => {
          if (!token) memory.drop(hash);
          else memory.remember(hash, token.id, { token, freshUntil: now() + maxAgeMs }, startedIn);
          return token;
        });
        const flight = { generation: startedIn, lookup };
        inFlight.set(hash, flight);
        const landed = () => {
          if (inFlight.get(hash) === flight) inFlight.delete(hash);
        };
        lookup.then(landed, landed);
      }
      return entry ? lastKnownGood(hash, lookup, entry) : lookup;
    },
    async revoked(tokenId) {
      memory.forget(tokenId);
      await revocations.announce(tokenId);
    },
    async close() {
      memory.clear();
    },
  };
}
