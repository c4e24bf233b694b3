import { projectFilter } from '../projects/project-scope.js';
import type { Constraint } from '../../../packages/evaluation/model.js';
import type { StoredSegment } from '../../schemas/targeting.js';
import { ConflictError } from '../../errors.js';
import type { Queryable } from '../../db/pool.js';
import { UNIQUE_VIOLATION, hasPostgresCode } from '../../db/postgres-errors.js';

function nameTaken(name: string) {
  return (error: unknown): never => {
    if (hasPostgresCode(error, UNIQUE_VIOLATION)) throw new ConflictError(`a segment named '${name}' exists`);
    throw error;
  };
}

/** A segment in its public shape, built by the function its change trigger uses (events and reads agree). */
const SEGMENT_JSON = `flagship_segment_json(g, false) as segment`;

/** Every segment by id, or only these projects' (`['*']`: every project's). */
export async function listSegments(db: Queryable, projects?: readonly string[]): Promise<StoredSegment[]> {
  const { rows } = await db.query<{ segment: StoredSegment }>(
    `select ${SEGMENT_JSON} from segment g where ($1::text[] is null or g.project_key = any($1)) order by g.id`,
    [projectFilter(projects)],
  );
  return rows.map((row) => row.segment);
}

export async function findSegment(db: Queryable, id: number): Promise<StoredSegment | undefined> {
  const { rows } = await db.query<{ segment: StoredSegment }>(`select ${SEGMENT_JSON} from segment g where g.id = $1`, [id]);
  return rows[0]?.segment;
}

/** Reads a segment and locks it against changes until the transaction ends (before it is changed or deleted). */
export async function lockSegment(client: Queryable, id: number): Promise<StoredSegment | undefined> {
  const { rows } = await client.query<{ segment: StoredSegment }>(`select ${SEGMENT_JSON} from segment g where g.id = $1 for update`, [id]);
  return rows[0]?.segment;
}

/**
 * Of `ids`, those that exist, each locked against deletion until the
 * transaction ends: a state that references them commits before a delete can
 * check whether they are in use.
 */
export async function lockExistingSegmentIds(client: Queryable, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await client.query<{ id: number; project: string }>(
    `select id, project_key as project from segment where id = any($1::int[]) order by id for key share`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row.project]));
}

export interface SegmentFields {
  name: string;
  description: string;
  constraints: Constraint[];
  /** Only when inserting: a segment stays in its project. */
  project?: string;
}

/** Inserts a segment (its trigger records a change in every environment); `id` only for imports, which keep Unleash's ids. */
export async function insertSegment(client: Queryable, fields: SegmentFields, id?: number): Promise<StoredSegment> {
  const { rows } = await client.query<{ segment: StoredSegment }>(
    `insert into segment as g (id, name, description, constraints, project_key)
     values (coalesce($1, nextval(pg_get_serial_sequence('segment', 'id'))), $2, $3, $4::jsonb, $5)
     returning ${SEGMENT_JSON}`,
    [id ?? null, fields.name, fields.description, JSON.stringify(fields.constraints), fields.project ?? 'default'],
  ).catch(nameTaken(fields.name));
  if (id !== undefined) {
    // Keep the sequence past ids given explicitly, so the next created segment
    // does not collide; never back, so a deleted segment's id is not given
    // again. Imported ids are bounded (MAX_IMPORTED_SEGMENT_ID), so this never
    // leaves the sequence at its maximum.
    await client.query(
      `select setval(seq, greatest(coalesce(pg_sequence_last_value(seq), 1), $1))
         from (select pg_get_serial_sequence('segment', 'id')::regclass as seq) s`,
      [id],
    );
  }
  return rows[0]!.segment;
}

export async function updateSegment(client: Queryable, id: number, fields: SegmentFields): Promise<StoredSegment> {
  const { rows } = await client.query<{ segment: StoredSegment }>(
    `update segment g set name = $2, description = $3, constraints = $4::jsonb, updated_at = now()
      where g.id = $1
      returning ${SEGMENT_JSON}`,
    [id, fields.name, fields.description, JSON.stringify(fields.constraints)],
  ).catch(nameTaken(fields.name));
  return rows[0]!.segment;
}

export async function deleteSegment(client: Queryable, id: number): Promise<void> {
  await client.query(`delete from segment where id = $1`, [id]);
}

export interface SegmentUse {
  flag: string;
  environment: string;
}

/** The live flag states whose strategies reference the segment, by flag key and environment. */
export async function listSegmentUses(db: Queryable, id: number): Promise<SegmentUse[]> {
  const { rows } = await db.query<SegmentUse>(
    `select f.key as flag, s.environment_key as environment
       from flag_state s join flag f on f.id = s.flag_id
      where f.archived_at is null
        and exists (select 1 from jsonb_array_elements(s.strategies) as strategy where strategy->'segments' @> to_jsonb($1::int))
      order by f.key, s.environment_key`,
    [id],
  );
  return rows;
}
