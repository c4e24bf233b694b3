import pg from 'pg';
import type { Queryable } from '../../../shared/db/pool.js';

/**
 * Every row of every table of the public schema as JSON text, in a stable
 * order. Taken before and after a request, it proves the request wrote nothing
 * (tables other engineers add later are covered without listing them here).
 */
export async function dumpDatabase(db: Queryable): Promise<Record<string, string[]>> {
  const { rows: tables } = await db.query<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'
      order by table_name`,
  );
  const dump: Record<string, string[]> = {};
  for (const { name } of tables) {
    const { rows } = await db.query<{ row: string }>(
      `select row_to_json(t)::text as row from ${pg.escapeIdentifier(name)} t order by 1`,
    );
    dump[name] = rows.map((row) => row.row);
  }
  return dump;
}
