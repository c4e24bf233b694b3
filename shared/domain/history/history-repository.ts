import type { Queryable } from '../../db/pool.js';
import type { FlagState } from '../../schemas/flags.js';
import type { StoredSegment } from '../../schemas/targeting.js';

/** An environment's version, and where a time falls against its life: what an `asOf` is checked against. */
export interface EnvironmentClock {
  version: number;
  /** When it was added, RFC 3339. */
  createdAt: string;
  /** The time asked about is after now. */
  future: boolean;
  /** The time asked about is before the environment was added. */
  beforeCreation: boolean;
}

export async function findEnvironmentClock(db: Queryable, environment: string, time: string | null): Promise<EnvironmentClock | undefined> {
  const { rows } = await db.query<EnvironmentClock>(
    `select version,
            to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdAt",
            coalesce($2::timestamptz > clock_timestamp(), false) as future,
            coalesce($2::timestamptz < created_at, false) as "beforeCreation"
       from environment where key = $1`,
    [environment, time],
  );
  return rows[0];
}

/**
 * The last version of `environment` whose event was committed at or before
 * `time` (0 when none was). The environment's clock never goes back, so the
 * events' times follow their versions and one probe of change_event_time_idx answers.
 */
export async function findVersionAt(db: Queryable, environment: string, time: string): Promise<number> {
  const { rows } = await db.query<{ version: number }>(
    `select coalesce(
       (select version from change_event
         where environment_key = $1 and created_at <= $2::timestamptz
         order by created_at desc, version desc
         limit 1),
       0) as version`,
    [environment, time],
  );
  return rows[0]!.version;
}

/** A snapshot's lists as they stood at one version (flags by key in code-point order, segments by id). */
export interface ListsAtVersion {
  flags: FlagState[];
  segments: StoredSegment[];
}

/**
 * Every live flag and every segment of `environment` as they stood at
 * `version`, in one statement, from the change log alone:
 * - a flag: its last event in the environment at or before the version (none:
 *   it had no state there yet; `archived`: gone from snapshots);
 * - a segment: its last event there at or before the version; else, when it
 *   has a later one, what that one found (`before`; null: not created yet);
 *   else it has not changed since the environment was added (segment changes
 *   are recorded in every environment there is, so one older than the
 *   environment has no event there until it next changes): the row as it is.
 * Each piece is the JSON the change triggers wrote with flagship_state_json and
 * flagship_segment_json, the functions loadSnapshot reads with, so the lists
 * are those an SDK held at that version, byte for byte. One index probe per
 * flag and per segment (migration 000018), whatever the length of the log.
 */
export async function listsAtVersion(db: Queryable, environment: string, version: number): Promise<ListsAtVersion> {
  const { rows } = await db.query<{ flags: FlagState[] | null; segments: StoredSegment[] | null }>(
    `with recursive logged_segment (id) as (
       (select segment_id from change_event
         where environment_key = $1 and segment_id is not null
         order by segment_id limit 1)
       union all
       -- A loose index scan: the next segment id logged, one probe each.
       select (select c.segment_id from change_event c
                where c.environment_key = $1 and c.segment_id is not null and c.segment_id > logged_segment.id
                order by c.segment_id limit 1)
         from logged_segment where logged_segment.id is not null
     ),
     segment_candidate (id) as (
       select id from logged_segment where id is not null
       union
       select id from segment
     ),
     segment_at (id, segment) as (
       select k.id,
              case when last_change.after is not null then last_change.after
                   when next_change.found then next_change.before
                   when g.id is not null then flagship_segment_json(g, false)
              end
         from segment_candidate k
         left join lateral (
           select c.after from change_event c
            where c.environment_key = $1 and c.segment_id = k.id and c.version <= $2
            order by c.version desc limit 1) last_change on true
         left join lateral (
           select c.before, true as found from change_event c
            where c.environment_key = $1 and c.segment_id = k.id and c.version > $2
            order by c.version limit 1) next_change on true
         left join segment g on g.id = k.id
     ),
     flag_at (key, state) as (
       select last_change.after->>'key', last_change.after
         from flag_state s
         cross join lateral (
           select c.after from change_event c
            where c.environment_key = $1 and c.flag_id = s.flag_id and c.version <= $2
            order by c.version desc limit 1) last_change
        where s.environment_key = $1
          and (last_change.after->>'archived') is distinct from 'true'
     )
     select (select json_agg(state order by key collate "C") from flag_at) as flags,
            (select json_agg(segment order by id) from segment_at
              where segment is not null and (segment->>'deleted') is distinct from 'true') as segments`,
    [environment, version],
  );
  return { flags: rows[0]?.flags ?? [], segments: rows[0]?.segments ?? [] };
}

/** One flag's state in `environment` as its last event at or before `version` left it; undefined when it had none there yet. */
export async function findFlagStateAtVersion(db: Queryable, flagKey: string, environment: string, version: number): Promise<FlagState | undefined> {
  const { rows } = await db.query<{ state: FlagState }>(
    `select c.after as state
       from flag f
       join change_event c on c.flag_id = f.id
      where f.key = $1 and c.environment_key = $2 and c.version <= $3
      order by c.version desc
      limit 1`,
    [flagKey, environment, version],
  );
  return rows[0]?.state;
}
