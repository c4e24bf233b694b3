import type { Queryable } from '../../db/pool.js';
import type { FlagState } from '../../schemas/flags.js';
import type { StoredSegment } from '../../schemas/targeting.js';
import type { ListsAtVersion } from './history-repository.js';

/** An environment's snapshot lists at one version, as stored in snapshot_checkpoint (migration 000023). */
export interface Checkpoint extends ListsAtVersion {
  version: number;
}

/** The checkpoint of `environment` nearest at or below `version` (one probe of the primary key), if any. */
export async function findCheckpointAtOrBelow(db: Queryable, environment: string, version: number): Promise<Checkpoint | undefined> {
  const { rows } = await db.query<Checkpoint>(
    `select version, flags, segments from snapshot_checkpoint
      where environment_key = $1 and version <= $2
      order by version desc limit 1`,
    [environment, version],
  );
  return rows[0];
}

/** A checkpoint's version and how many flags and segments it holds, without its lists. */
export interface CheckpointHead {
  version: number;
  subjects: number;
}

/** The head of the checkpoint of `environment` nearest at or below `version`, if any (the lists are not read). */
export async function findCheckpointHeadAtOrBelow(db: Queryable, environment: string, version: number): Promise<CheckpointHead | undefined> {
  const { rows } = await db.query<CheckpointHead>(
    `select version, subjects from snapshot_checkpoint where environment_key = $1 and version <= $2 order by version desc limit 1`,
    [environment, version],
  );
  return rows[0];
}

/** Stores a checkpoint; one already there (another process built the same) is kept: both are the same lists. */
export async function insertCheckpoint(db: Queryable, environment: string, checkpoint: Checkpoint): Promise<void> {
  await db.query(
    `insert into snapshot_checkpoint (environment_key, version, flags, segments, subjects) values ($1, $2, $3::json, $4::json, $5)
     on conflict do nothing`,
    [environment, checkpoint.version, JSON.stringify(checkpoint.flags), JSON.stringify(checkpoint.segments), checkpoint.flags.length + checkpoint.segments.length],
  );
}

/** One change of a flag state (`flag`) or a segment (`segment`) as the change event recorded it after the change. */
export type SubjectAfter = { flag: FlagState; segment?: undefined } | { segment: StoredSegment; flag?: undefined };

/**
 * What the events of `environment` after version `from` up to `to` (both
 * ends' events: `from` excluded, `to` included) left each subject as, in the
 * order they were written (version, then event id: a change group's events
 * share a version). A run of consecutive rows of change_event_version_subject_idx.
 */
export async function listSubjectsChangedBetween(db: Queryable, environment: string, from: number, to: number): Promise<SubjectAfter[]> {
  const { rows } = await db.query<{ flag: FlagState | null; segment: StoredSegment | null }>(
    `select case when flag_id is not null then after end as flag,
            case when segment_id is not null then after end as segment
       from change_event
      where environment_key = $1 and version > $2 and version <= $3
      order by version, id`,
    [environment, from, to],
  );
  return rows.map((row) => (row.flag ? { flag: row.flag } : { segment: row.segment! }));
}
