import { createHash } from 'node:crypto';
import type { Queryable } from './pool.js';

/**
 * A short name for this very database: its oid and the row migration
 * 000004_a created in it, hashed. Dropping and recreating the database (or
 * restoring a dump into a new one) changes it; cloning from a template
 * changes the oid. Redis state derived from the database is named after it.
 */
export async function readDatabaseIdentity(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ oid: string; id: string }>(
    `select d.oid::text as oid, i.id::text as id
       from pg_database d cross join database_identity i
      where d.datname = current_database()`,
  );
  const row = rows[0];
  if (!row) throw new Error('this database has no identity row: run the migrations (npm run migrate)');
  return createHash('sha256').update(`${row.oid}:${row.id}`).digest('hex').slice(0, 16);
}
