import type { Pool } from '../../db/pool.js';
import { freshInTime, RevocableMemory } from '../../cache/last-known-good.js';
import { rateLimitedWarn } from '../../log-rate-limit.js';
import type { Logger } from '../../logger.js';
import type { Token } from '../../schemas/tokens.js';
import type { RevocationWatch } from '../tokens/revocation-watch.js';
import type { Principal } from './principal.js';
import { principalOfUser } from './principals.js';
import { DEFAULT_SESSION_POLICY, findSessionCaller, hashCookieValue, type SessionPolicy } from './session-service.js';
import { findUserById } from './user-repository.js';

/** How the API's guard finds the people behind personal tokens and session cookies. */
export interface PeopleLookup {
  /** The principal of a personal token's user (roles as they are now); undefined when the user is gone. */
  personalPrincipal(token: Token): Promise<Principal | undefined>;
  /** The principal of a live session cookie, and the session's id. */
  session(cookieValue: string): Promise<{ principal: Principal; sessionId: string } | undefined>;
}

export interface PeopleLookupOptions {
  policy?: SessionPolicy;
  clock?: () => Date;
  /** Forgets a remembered session or personal token the moment it ends, in this process or another. */
  revocations?: RevocationWatch;
  /** Says when a session or personal token is trusted from memory because PostgreSQL did not answer. */
  logger?: Logger;
}

/** At most this many sessions and personal tokens are remembered; past it the oldest go (this only bounds memory). */
const MAX_REMEMBERED = 10_000;

interface Remembered {
  principal: Principal;
  sessionId?: string;
  /** A session's absolute expiry (ISO 8601). */
  expiresAt?: string;
  /** Past this (epoch ms: the absolute expiry, or the idle limit counted from the last answer PostgreSQL gave) it is not trusted. */
  validUntil: number;
}

/**
 * Reads people from PostgreSQL at each request (admin traffic is light): a
 * change of roles counts from the next request, and an ended session is
 * refused by every process at once. Personal tokens themselves are looked up
 * through the process's token cache, whose revocation watch forgets a removed
 * user's tokens within a second.
 *
 * Last known good, as for tokens (shared/cache/last-known-good.ts): the
 * answer PostgreSQL last gave for a session or a personal token is
 * remembered, watched by its id in the revocation watch. When PostgreSQL
 * fails or takes more than LAST_KNOWN_GOOD_WAIT_MS, that answer stands, so a
 * person signed in keeps reading what needs no PostgreSQL (who they are, the
 * open change stream, the console) through an outage. A session or token
 * this process never saw, or one it heard ended (sign-out, removal: a Redis
 * message at once), is not trusted: 503 until PostgreSQL answers.
 */
export function createPeopleLookup(pool: Pool, options: PeopleLookupOptions = {}): PeopleLookup {
  const policy = options.policy ?? DEFAULT_SESSION_POLICY;
  const clock = options.clock ?? (() => new Date());
  const { revocations } = options;
  // Remembered only with a revocation watch: nothing else would forget an ended session.
  const remembered = new RevocableMemory<Remembered>(revocations && ((id, onRevoked) => revocations.watch(id, onRevoked)), MAX_REMEMBERED);
  const warnFallback = options.logger
    ? rateLimitedWarn(options.logger, 'PostgreSQL did not answer a session or personal token lookup: trusting it as last known')
    : () => undefined;

  /** Asks PostgreSQL; on failure or lateness, the remembered answer while it is valid. */
  async function lookUp<T>(key: string, ask: () => Promise<T | undefined>, keep: (found: T) => { credentialId: string; entry: Remembered }, fromMemory: (entry: Remembered) => T): Promise<T | undefined> {
    const startedIn = remembered.startLookup();
    const fresh = ask().then((found) => {
      if (found === undefined) remembered.drop(key);
      else {
        const { credentialId, entry } = keep(found);
        remembered.remember(key, credentialId, entry, startedIn);
      }
      return found;
    });
    if (remembered.get(key) === undefined) return fresh;
    const answer = await freshInTime(fresh, warnFallback);
    if (answer !== 'fallback') return answer.answer;
    const current = remembered.get(key);
    // Forgotten meanwhile (ended, removed), or past its expiry: PostgreSQL must say.
    if (current === undefined || current.validUntil <= clock().getTime()) return fresh;
    return fromMemory(current);
  }

  return {
    async personalPrincipal(token) {
      if (token.kind !== 'personal' || token.userId === null) return undefined;
      // The token cache may remember a token up to the watch's next poll past its expiry: the expiry counts to the millisecond.
      if (token.expiresAt !== null && Date.parse(token.expiresAt) <= clock().getTime()) return undefined;
      const userId = token.userId;
      return lookUp(
        `token:${token.id}`,
        async () => {
          const user = await findUserById(pool, userId);
          return user && principalOfUser(user, token.id);
        },
        (principal) => ({
          credentialId: token.id,
          entry: { principal, validUntil: token.expiresAt === null ? Infinity : Date.parse(token.expiresAt) },
        }),
        (entry) => entry.principal,
      );
    },
    async session(cookieValue) {
      return lookUp(
        `session:${hashCookieValue(cookieValue)}`,
        () => findSessionCaller(pool, cookieValue, { now: clock(), policy }),
        (caller) => ({
          credentialId: caller.sessionId,
          entry: {
            principal: caller.principal,
            sessionId: caller.sessionId,
            expiresAt: caller.expiresAt,
            validUntil: Math.min(Date.parse(caller.expiresAt), clock().getTime() + policy.idleMs),
          },
        }),
        (entry) => ({ principal: entry.principal, sessionId: entry.sessionId!, expiresAt: entry.expiresAt! }),
      );
    },
  };
}
