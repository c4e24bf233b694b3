import { NotFoundError } from '../errors.js';
import type { Snapshot } from '../schemas/snapshots.js';
import type { Queryable } from './pool.js';

/**
 * Reads an environment's snapshot in one statement, so the version and the
 * flags come from the same database snapshot (never flags newer than the version).
 * Each flag is built by flagship_state_json, the function the change trigger
 * uses for events, and ordered by code point (collate "C"): a snapshot loaded
 * here and one the notifier builds from events are byte-for-byte alike.
 */
export async function loadSnapshot(db: Queryable, environment: string): Promise<Snapshot> {
  const { rows } = await db.query<Snapshot>(
    `select e.key as environment, e.version,
            coalesce(
              (select json_agg(flagship_state_json(s, f, false) order by f.key collate "C")
                 from flag_state s join flag f on f.id = s.flag_id
                where s.environment_key = e.key and f.archived_at is null),
              '[]'::json) as flags
       from environment e
      where e.key = $1`,
    [environment],
  );
  const snapshot = rows[0];
  if (!snapshot) throw new NotFoundError(`environment '${environment}' does not exist`);
  return snapshot;
}
