import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import type { Principal } from './principal.js';
import { principalOfUser } from './principals.js';
import { endSessionBySecretHash, endSessionsOfUser, insertSession, touchLiveSession } from './session-repository.js';
import { findUserById } from './user-repository.js';

/** How long a session lives: `idleMs` without a request, `absoluteMs` at most whatever happens. */
export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

/** 8 hours idle (a working day), 7 days at most (then sign in again). */
export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 8 * 60 * 60 * 1000, absoluteMs: 7 * 24 * 60 * 60 * 1000 };

/** The name of the session cookie. */
export const SESSION_COOKIE = 'flagship_session';

export interface StartedSession {
  /** The value to set as the SESSION_COOKIE cookie (only its hash is stored): services/api/http/session-cookie.ts sets it. */
  cookieValue: string;
  sessionId: string;
  /** The absolute expiry. */
  expiresAt: Date;
}

export interface SessionMeta {
  /** How the person signed in. */
  method: 'password' | 'oidc';
  now?: Date;
  policy?: SessionPolicy;
}

/** Cookie values are 256 random bits, so SHA-256 (not a slow password hash) is the right digest, as for tokens. */
export function hashCookieValue(cookieValue: string): string {
  return createHash('sha256').update(cookieValue).digest('hex');
}

/**
 * Starts a session for `userId` (who just proved who they are: a password or
 * an OpenID Connect sign-in) and returns the cookie value to set.
 */
export async function startSession(pool: Pool, userId: string, meta: SessionMeta): Promise<StartedSession> {
  const now = meta.now ?? new Date();
  const policy = meta.policy ?? DEFAULT_SESSION_POLICY;
  const cookieValue = `fs_session_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + policy.absoluteMs);
  const sessionId = await insertSession(pool, { userId, secretHash: hashCookieValue(cookieValue), method: meta.method, now, expiresAt });
  return { cookieValue, sessionId, expiresAt };
}

/**
 * The CSRF token of a session: an HMAC of the cookie value, so nothing more
 * is stored and only someone who can read the cookie's session (GET /v1/me,
 * same origin) learns it.
 */
export function csrfTokenOf(cookieValue: string): string {
  return createHmac('sha256', cookieValue).update('flagship csrf').digest('base64url');
}

/** Whether `presented` is the session's CSRF token (constant time). */
export function csrfTokenMatches(cookieValue: string, presented: string): boolean {
  const expected = Buffer.from(csrfTokenOf(cookieValue));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface SessionCaller {
  principal: Principal;
  sessionId: string;
  /** The session's absolute expiry (ISO 8601). */
  expiresAt: string;
}

/** Who a session cookie belongs to, if it is live (not signed out, not idle too long, not past its absolute expiry). */
export async function findSessionCaller(
  pool: Pool,
  cookieValue: string,
  options: { now?: Date; policy?: SessionPolicy } = {},
): Promise<SessionCaller | undefined> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? DEFAULT_SESSION_POLICY;
  const session = await touchLiveSession(pool, hashCookieValue(cookieValue), now, policy.idleMs);
  if (!session) return undefined;
  const user = await findUserById(pool, session.userId);
  if (!user) return undefined;
  return { principal: principalOfUser(user), sessionId: session.id, expiresAt: session.expiresAt };
}

/** Signs a session out (POST /auth/logout). Returns its id, for the revocation watch to end its open streams. */
export async function endSession(pool: Pool, cookieValue: string, now = new Date()): Promise<string | undefined> {
  return endSessionBySecretHash(pool, hashCookieValue(cookieValue), now);
}

/** Signs every session of a user out (a password reset). Returns their ids. */
export async function endUserSessions(pool: Pool, userId: string, now = new Date()): Promise<string[]> {
  return withTransaction(pool, (client) => endSessionsOfUser(client, userId, now));
}
