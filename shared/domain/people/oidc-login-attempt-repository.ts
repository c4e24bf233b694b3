import type { Queryable } from '../../db/pool.js';

/** Records a login attempt by the hash of its secret (the secret itself lives only in the browser's cookie). */
export async function insertLoginAttempt(db: Queryable, id: string, createdAt: Date, expiresAt: Date): Promise<void> {
  await db.query('insert into oidc_login_attempt (id, created_at, expires_at) values ($1, $2, $3)', [id, createdAt, expiresAt]);
}

/** Removes and returns a login attempt: whoever calls this first for an id gets it, nobody after. */
export async function takeLoginAttempt(db: Queryable, id: string): Promise<{ expiresAt: Date } | undefined> {
  // Timestamps arrive as text (shared/db/pool.ts's type parsers): read as milliseconds.
  const { rows } = await db.query<{ expiresAtMs: number }>(
    'delete from oidc_login_attempt where id = $1 returning (extract(epoch from expires_at) * 1000)::float8 as "expiresAtMs"',
    [id],
  );
  return rows[0] && { expiresAt: new Date(rows[0].expiresAtMs) };
}

/** Forgets attempts that expired before `before` (abandoned sign-ins); returns how many. */
export async function deleteExpiredLoginAttempts(db: Queryable, before: Date): Promise<number> {
  const { rowCount } = await db.query('delete from oidc_login_attempt where expires_at < $1', [before]);
  return rowCount ?? 0;
}
