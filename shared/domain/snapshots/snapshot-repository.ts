import { NotFoundError } from '../../errors.js';
import type { Snapshot } from '../../schemas/snapshots.js';
import type { Queryable } from '../../db/pool.js';

/**
 * Reads an environment's snapshot in one statement, so the version, the flags
 * and the segments come from the same database snapshot (never newer than the
 * version). Each flag is built by flagship_state_json and each segment by
 * flagship_segment_json, the functions the change triggers use for events;
 * flags are ordered by code point (collate "C") and segments by id: a snapshot
 * loaded here and one the notifier builds from events are byte-for-byte alike.
 */
export async function loadSnapshot(db: Queryable, environment: string): Promise<Snapshot> {
  const { rows } = await db.query<Snapshot>(
    `select e.key as environment, e.version,
            coalesce(
              (select json_agg(flagship_state_json(s, f, false) order by f.key collate "C")
                 from flag_state s join flag f on f.id = s.flag_id
                where s.environment_key = e.key and f.archived_at is null),
              '[]'::json) as flags,
            coalesce(
              (select json_agg(flagship_segment_json(g, false) order by g.id) from segment g),
              '[]'::json) as segments
       from environment e
      where e.key = $1`,
    [environment],
  );
  const snapshot = rows[0];
  if (!snapshot) throw new NotFoundError(`environment '${environment}' does not exist`);
  return snapshot;
}
