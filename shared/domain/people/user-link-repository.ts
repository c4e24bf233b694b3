import type { Queryable } from '../../db/pool.js';

export type LinkPurpose = 'invite' | 'reset';

/** Stores a link's hash; earlier unused links of the user for the same purpose stop working (only the newest counts). */
export async function insertLink(
  db: Queryable,
  link: { userId: string; purpose: LinkPurpose; secretHash: string; now: Date; expiresAt: Date },
): Promise<void> {
  await db.query(`update user_link set used_at = $3 where user_id = $1 and purpose = $2 and used_at is null`, [link.userId, link.purpose, link.now]);
  await db.query(
    `insert into user_link (user_id, purpose, secret_hash, created_at, expires_at) values ($1, $2, $3, $4, $5)`,
    [link.userId, link.purpose, link.secretHash, link.now, link.expiresAt],
  );
}

/** Marks the live link of this hash used (once: a second use finds nothing) and returns whose it was. */
export async function useLink(db: Queryable, secretHash: string, now: Date): Promise<{ userId: string; purpose: LinkPurpose } | undefined> {
  const { rows } = await db.query<{ userId: string; purpose: LinkPurpose }>(
    `update user_link set used_at = $2
      where secret_hash = $1 and used_at is null and expires_at > $2
      returning user_id as "userId", purpose`,
    [secretHash, now],
  );
  return rows[0];
}
