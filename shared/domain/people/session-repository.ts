import type { Queryable } from '../../db/pool.js';

export interface SessionRow {
  id: string;
  userId: string;
  /** The absolute expiry (ISO 8601, as timestamps leave the pool). */
  expiresAt: string;
}

export async function insertSession(
  db: Queryable,
  session: { userId: string; secretHash: string; method: 'password' | 'oidc'; now: Date; expiresAt: Date },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into user_session (user_id, secret_hash, method, created_at, last_seen_at, expires_at)
     values ($1, $2, $3, $4, $4, $5) returning id`,
    [session.userId, session.secretHash, session.method, session.now, session.expiresAt],
  );
  return rows[0]!.id;
}

/**
 * The live session of this secret hash: not ended, before its absolute expiry,
 * and seen within `idleMs`. Its last_seen_at moves to `now` when it is more
 * than a minute old (one write a minute per session, not one per request).
 */
export async function touchLiveSession(db: Queryable, secretHash: string, now: Date, idleMs: number): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>(
    `with live as (
       select id, user_id, last_seen_at, expires_at from user_session
        where secret_hash = $1 and ended_at is null and expires_at > $2
          and last_seen_at > $2 - make_interval(secs => $3 / 1000.0)
     ), touched as (
       update user_session s set last_seen_at = $2
         from live where s.id = live.id and live.last_seen_at < $2 - interval '1 minute'
     )
     select id, user_id as "userId", expires_at as "expiresAt" from live`,
    [secretHash, now, idleMs],
  );
  return rows[0];
}

/** Ends the live session of this secret hash; its id, when there was one. */
export async function endSessionBySecretHash(db: Queryable, secretHash: string, now: Date): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `update user_session set ended_at = $2 where secret_hash = $1 and ended_at is null returning id`,
    [secretHash, now],
  );
  return rows[0]?.id;
}

/** Ends every live session of the user; their ids. */
export async function endSessionsOfUser(db: Queryable, userId: string, now: Date): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `update user_session set ended_at = $2 where user_id = $1 and ended_at is null returning id`,
    [userId, now],
  );
  return rows.map((row) => row.id);
}

/** Deletes sessions that ended or expired more than a day ago (they only take space). */
export async function deleteOldSessions(db: Queryable, now: Date): Promise<void> {
  await db.query(
    `delete from user_session where coalesce(ended_at, expires_at) < $1 - interval '1 day'`,
    [now],
  );
}
