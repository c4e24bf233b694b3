import type { Queryable } from '../../db/pool.js';

/** Which flags and segments changed in an environment between two versions. */
export interface ChangedSubjects {
  flagKeys: string[];
  segmentIds: number[];
  /** False when the event log does not hold every version in the range (a client from another database, say). */
  complete: boolean;
}

/**
 * The flags and segments an environment's change events name in (after, upTo]:
 * what a client that saw version `after` must refetch to hold version `upTo`.
 */
export async function changedSubjectsBetween(db: Queryable, environment: string, after: number, upTo: number): Promise<ChangedSubjects> {
  const { rows } = await db.query<{ flagKey: string | null; segmentId: number | null; versions: number }>(
    `select flag_key as "flagKey", segment_id as "segmentId",
            -- A version of a change group holds several events: versions are counted once.
            (select count(distinct v.version) from change_event v
              where v.environment_key = $1 and v.version > $2 and v.version <= $3)::int as versions
       from change_event
      where environment_key = $1 and version > $2 and version <= $3
      group by flag_key, segment_id`,
    [environment, after, upTo],
  );
  const counted = rows[0]?.versions ?? 0;
  return {
    flagKeys: rows.flatMap((row) => (row.flagKey === null ? [] : [row.flagKey])),
    segmentIds: rows.flatMap((row) => (row.segmentId === null ? [] : [row.segmentId])),
    complete: counted === upTo - after,
  };
}
