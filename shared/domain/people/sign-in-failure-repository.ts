import type { Queryable } from '../../db/pool.js';

/** Serialises attempts on the same account or address until the transaction ends (count, then insert). */
export async function lockFailureSubjects(db: Queryable, subjects: string[]): Promise<void> {
  // In a fixed order, so two attempts sharing both subjects never deadlock.
  await db.query(
    `select pg_advisory_xact_lock(hashtext('flagship.sign_in:' || s)) from unnest($1::text[]) as s order by s`,
    [subjects],
  );
}

/**
 * Per subject: its failures since `since`, and when the `limit`-th most
 * recent happened (the one whose leaving the window frees the subject).
 */
export async function countRecentFailures(
  db: Queryable,
  subjects: string[],
  since: Date,
  limit: number,
): Promise<{ subject: string; count: number; limitFailureAt: Date }[]> {
  const { rows } = await db.query<{ subject: string; count: number; limitFailureAt: Date }>(
    `select subject, count(*)::int as count,
            (array_agg(failed_at order by failed_at desc))[$3]::timestamptz as "limitFailureAt"
       from sign_in_failure
      where subject = any($1::text[]) and failed_at > $2
      group by subject`,
    [subjects, since, limit],
  );
  return rows;
}

/** Records a failure under each subject (and forgets theirs older than the window). Returns the rows' ids. */
export async function insertFailures(db: Queryable, subjects: string[], now: Date, since: Date): Promise<string[]> {
  await db.query(`delete from sign_in_failure where subject = any($1::text[]) and failed_at <= $2`, [subjects, since]);
  const { rows } = await db.query<{ id: string }>(
    `insert into sign_in_failure (subject, failed_at) select s, $2 from unnest($1::text[]) as s returning id::text as id`,
    [subjects, now],
  );
  return rows.map((row) => row.id);
}

export async function deleteFailures(db: Queryable, ids: string[]): Promise<void> {
  await db.query(`delete from sign_in_failure where id = any($1::bigint[])`, [ids]);
}
