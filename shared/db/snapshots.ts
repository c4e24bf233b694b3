import { NotFoundError } from '../errors.js';
import type { Snapshot } from '../schemas/snapshots.js';
import type { Queryable } from './pool.js';
import { STATE_COLUMNS } from './flag-states.js';

/**
 * Reads an environment's snapshot in one statement, so the version and the
 * flags come from the same database snapshot (never flags newer than the version).
 */
export async function loadSnapshot(db: Queryable, environment: string): Promise<Snapshot> {
  const { rows } = await db.query<Snapshot>(
    `select e.key as environment, e.version,
            coalesce(
              (select json_agg(state order by state.key)
                 from (select ${STATE_COLUMNS}
                         from flag_state s join flag f on f.id = s.flag_id
                        where s.environment_key = e.key and f.archived_at is null) state),
              '[]'::json) as flags
       from environment e
      where e.key = $1`,
    [environment],
  );
  const snapshot = rows[0];
  if (!snapshot) throw new NotFoundError(`environment '${environment}' does not exist`);
  return snapshot;
}
