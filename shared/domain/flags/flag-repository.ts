import { projectFilter } from '../projects/project-scope.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { AdminFlagState, CreateFlag, Flag, UpdateFlag } from '../../schemas/flags.js';
import { lockEnvironmentList } from '../environments/environment-repository.js';
import type { Queryable } from '../../db/pool.js';
import { listStatesOfFlags } from './flag-state-reads.js';
import { UNIQUE_VIOLATION, hasPostgresCode } from '../../db/postgres-errors.js';
import { lastSeenOfFlags } from '../usage/usage-repository.js';

type FlagRow = Omit<Flag, 'environments'>;

const FLAG_COLUMNS = `
  id, key, description, type, project_key as project, tags, owner, created_at as "createdAt", updated_at as "updatedAt", archived_at as "archivedAt"`;

async function withStates(db: Queryable, flags: FlagRow[]): Promise<Flag[]> {
  if (flags.length === 0) return [];
  const ids = flags.map((flag) => flag.id);
  const [states, lastSeen] = [await listStatesOfFlags(db, ids), await lastSeenOfFlags(db, ids)];
  const byFlag = new Map<string, Record<string, AdminFlagState>>(flags.map((flag) => [flag.id, {}]));
  for (const state of states) {
    byFlag.get(state.id)![state.environment] = { ...state, lastSeenAt: lastSeen.get(state.id)?.[state.environment] ?? null };
  }
  return flags.map((flag) => ({ ...flag, environments: byFlag.get(flag.id)! }));
}

export interface FlagListOptions {
  after?: string;
  limit: number;
  archived: 'true' | 'false' | 'only';
  /** Only these projects' flags (absent or `['*']`: every project's). */
  projects?: readonly string[];
  /** Only the flags with this tag. */
  tag?: string;
  /** Only the flags of this owner. */
  owner?: string;
}

/** One page of flags ordered by key, each with its state in every environment. */
export async function listFlags(db: Queryable, options: FlagListOptions): Promise<Flag[]> {
  const archivedFilter = {
    true: 'true',
    false: 'archived_at is null',
    only: 'archived_at is not null',
  }[options.archived];
  const { rows } = await db.query<FlagRow>(
    `select ${FLAG_COLUMNS} from flag
      where ${archivedFilter} and ($1::text is null or key > $1) and ($3::text[] is null or project_key = any($3))
        and ($4::text is null or tags @> array[$4::text]) and ($5::text is null or owner = $5)
      order by key
      limit $2`,
    [options.after ?? null, options.limit, projectFilter(options.projects), options.tag ?? null, options.owner ?? null],
  );
  return withStates(db, rows);
}

export async function findFlag(db: Queryable, key: string): Promise<Flag | undefined> {
  const { rows } = await db.query<FlagRow>(`select ${FLAG_COLUMNS} from flag where key = $1`, [key]);
  const [flag] = await withStates(db, rows);
  return flag;
}

export async function requireFlag(db: Queryable, key: string): Promise<Flag> {
  const flag = await findFlag(db, key);
  if (!flag) throw new NotFoundError(`flag '${key}' does not exist`);
  return flag;
}

/**
 * Creates a flag with a state in every environment: the given initial state
 * where one is given, else disabled at 100% (switching it on then means on for all).
 * Each state starts as the simple case: one flexibleRollout at that percentage.
 * Run inside withTransaction.
 */
export async function insertFlag(client: Queryable, input: CreateFlag): Promise<Flag> {
  const initial = input.environments ?? {};
  await lockEnvironmentList(client, 'shared');
  const { rows: environments } = await client.query<{ key: string }>(`select key from environment order by key`);
  const known = new Set(environments.map((environment) => environment.key));
  const unknown = Object.keys(initial).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new ValidationError(
      `unknown environment: ${unknown.join(', ')}`,
      unknown.map((key) => ({ path: ['environments', key], message: 'no such environment' })),
    );
  }
  let flagId: string;
  try {
    const { rows } = await client.query<{ id: string }>(
      `insert into flag (key, description, type, project_key, tags, owner) values ($1, $2, $3, $4, $5, $6) returning id`,
      [input.key, input.description ?? '', input.type ?? 'release', input.project ?? 'default', input.tags ?? [], input.owner ?? null],
    );
    flagId = rows[0]!.id;
  } catch (error) {
    if (hasPostgresCode(error, UNIQUE_VIOLATION)) throw new ConflictError(`flag '${input.key}' already exists`);
    throw error;
  }
  for (const { key } of environments) {
    await client.query(
      `insert into flag_state (flag_id, environment_key, enabled, strategies)
       values ($1, $2, $3, jsonb_build_array(flagship_rollout_strategy(gen_random_uuid()::text, $4, $5)))`,
      [flagId, key, initial[key]?.enabled ?? false, input.key, initial[key]?.rollout ?? 100],
    );
  }
  return requireFlag(client, input.key);
}

/**
 * Edits a flag's own fields (description, type, tags, owner); what it does in
 * an environment is its state's business. A field left undefined is kept;
 * `owner: null` clears the owner.
 */
export async function updateFlag(db: Queryable, key: string, change: Omit<UpdateFlag, 'project'>): Promise<Flag> {
  const { rowCount } = await db.query(
    `update flag
        set description = coalesce($2, description), type = coalesce($3, type), tags = coalesce($4, tags),
            owner = case when $5 then $6 else owner end, updated_at = now()
      where key = $1`,
    [key, change.description ?? null, change.type ?? null, change.tags ?? null, change.owner !== undefined, change.owner ?? null],
  );
  if (!rowCount) throw new NotFoundError(`flag '${key}' does not exist`);
  return requireFlag(db, key);
}

/** Locks a flag's states, then their environments, in the order every writer takes them (see archiveFlag). */
async function lockStatesOfFlag(client: Queryable, flagId: string): Promise<void> {
  await client.query(`select 1 from flag_state where flag_id = $1 order by environment_key for update`, [flagId]);
  await client.query(
    `select 1 from environment
      where key in (select environment_key from flag_state where flag_id = $1)
      order by key
        for no key update`,
    [flagId],
  );
}

/** The flag's id and project, its row locked until the transaction ends. */
export async function lockFlag(client: Queryable, key: string): Promise<{ id: string; project: string } | undefined> {
  const { rows } = await client.query<{ id: string; project: string }>(`select id, project_key as project from flag where key = $1 for update`, [key]);
  return rows[0];
}

export interface CrossProjectReference {
  what: 'segment' | 'dependency' | 'dependent';
  /** The segment id, or the other flag's key. */
  name: string;
  /** A segment's own name (people know it by that, not by its id). */
  segmentName?: string;
  project: string;
}

/**
 * What would tie the flag to a project other than `project`: segments its
 * states use, flags it depends on, live flags that depend on it.
 */
export async function listCrossProjectReferences(db: Queryable, flagId: string, project: string): Promise<CrossProjectReference[]> {
  const { rows } = await db.query<CrossProjectReference & { segmentName: string | null }>(
    `select distinct 'segment' as what, g.id::text as name, g.name as "segmentName", g.project_key as project
       from flag_state s
       cross join lateral jsonb_array_elements(s.strategies) as strategy
       cross join lateral jsonb_array_elements(coalesce(strategy->'segments', '[]')) as used
       join segment g on to_jsonb(g.id) = used
      where s.flag_id = $1 and g.project_key <> $2
     union
     select distinct 'dependency', d.key, null, d.project_key
       from flag_state s
       cross join lateral jsonb_array_elements(s.dependencies) as dependency
       join flag d on d.key = dependency->>'feature'
      where s.flag_id = $1 and d.project_key <> $2
     union
     select distinct 'dependent', f.key, null, f.project_key
       from flag f join flag_state s on s.flag_id = f.id
       cross join lateral jsonb_array_elements(s.dependencies) as dependency
      where f.archived_at is null and f.project_key <> $2 and f.id <> $1
        and dependency->>'feature' = (select key from flag where id = $1)
     order by 1, 2`,
    [flagId, project],
  );
  return rows.map(({ segmentName, ...reference }) => (segmentName === null ? reference : { ...reference, segmentName }));
}

/** Moves a flag to another project; its trigger records an 'updated' change of every state (before: the old project). Run inside withTransaction. */
export async function moveFlag(client: Queryable, flagId: string, project: string): Promise<void> {
  // The trigger touches every state, each taking its environment's lock: the order of every other writer first.
  await lockEnvironmentList(client, 'shared');
  await lockStatesOfFlag(client, flagId);
  await client.query(`update flag set project_key = $2, updated_at = now() where id = $1`, [flagId, project]);
}

/** Archives a flag; its trigger records an 'archived' change in every environment. Run inside withTransaction. */
export async function archiveFlag(client: Queryable, key: string): Promise<Flag> {
  // An environment added meanwhile must not give the flag a fresh live state.
  await lockEnvironmentList(client, 'shared');
  const { rows } = await client.query<{ id: string; archived: boolean }>(
    `select id, archived_at is not null as archived from flag where key = $1 for update`,
    [key],
  );
  const flag = rows[0];
  if (!flag) throw new NotFoundError(`flag '${key}' does not exist`);
  if (flag.archived) throw new ConflictError(`flag '${key}' is already archived`);
  // The trigger touches the flag's states in physical row order, each taking its
  // environment's row lock. Take the locks first in the order every other writer
  // uses (a state, then its environment; environments by key, as insertFlag does),
  // or archiving deadlocks with a flag being created at the same time.
  await client.query(`select 1 from flag_state where flag_id = $1 order by environment_key for update`, [flag.id]);
  await client.query(
    `select 1 from environment
      where key in (select environment_key from flag_state where flag_id = $1)
      order by key
        for no key update`,
    [flag.id],
  );
  await client.query(`update flag set archived_at = now(), updated_at = now() where id = $1`, [flag.id]);
  return requireFlag(client, key);
}

/** Of `keys`, those naming a live (not archived) flag. */
export async function listLiveFlagKeys(db: Queryable, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { rows } = await db.query<{ key: string }>(`select key from flag where key = any($1::text[]) and archived_at is null`, [keys]);
  return new Set(rows.map((row) => row.key));
}

/** Of `keys`, those naming a live (not archived) flag, each with its project. */
export async function listLiveFlagProjects(db: Queryable, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const { rows } = await db.query<{ key: string; project: string }>(
    `select key, project_key as project from flag where key = any($1::text[]) and archived_at is null`,
    [keys],
  );
  return new Map(rows.map((row) => [row.key, row.project]));
}

/** The project of the flag of this key, if it exists. */
export async function projectOfFlag(db: Queryable, key: string): Promise<string | undefined> {
  const { rows } = await db.query<{ project: string }>(`select project_key as project from flag where key = $1`, [key]);
  return rows[0]?.project;
}

/** Of `keys`, those naming a flag, each with whether it is archived. */
export async function findFlagsArchived(db: Queryable, keys: string[]): Promise<Map<string, boolean>> {
  if (keys.length === 0) return new Map();
  const { rows } = await db.query<{ key: string; archived: boolean }>(
    `select key, archived_at is not null as archived from flag where key = any($1::text[])`,
    [keys],
  );
  return new Map(rows.map((row) => [row.key, row.archived]));
}

export interface NewFlag {
  key: string;
  description: string;
  type: string;
  project: string;
}

/**
 * Creates many flags at once, each with a disabled simple-case state (100%)
 * in every environment, in two statements (an import of thousands of flags
 * stays well inside a request's time). The states are inserted environment by
 * environment, in key order, so their triggers take the environment row locks
 * in the order every other writer does. Run inside withTransaction.
 */
export async function insertFlags(client: Queryable, flags: NewFlag[]): Promise<void> {
  if (flags.length === 0) return;
  await lockEnvironmentList(client, 'shared');
  // The environments are read first and passed in, not joined: every change
  // updates its environment's row (twice), so that table holds a few live rows
  // in many pages, and until it is analysed the planner guesses thousands of
  // rows from its size. A join with it was then costed in millions, which
  // turned on JIT compilation: about 0.9 s of a 2 s insert of 200 flags.
  const { rows: environments } = await client.query<{ key: string }>(`select key from environment order by key`);
  try {
    await client.query(
      `with created as (
         insert into flag (key, description, type, project_key)
         select * from unnest($1::text[], $2::text[], $3::text[], $5::text[])
         returning id, key
       )
       insert into flag_state (flag_id, environment_key, enabled, strategies)
       select c.id, e.key, false, jsonb_build_array(flagship_rollout_strategy(gen_random_uuid()::text, c.key, 100))
         from unnest($4::text[]) with ordinality as e (key, position) cross join created c
        order by e.position, c.key`,
      [
        flags.map((flag) => flag.key),
        flags.map((flag) => flag.description),
        flags.map((flag) => flag.type),
        environments.map((environment) => environment.key),
        flags.map((flag) => flag.project),
      ],
    );
  } catch (error) {
    if (hasPostgresCode(error, UNIQUE_VIOLATION)) throw new ConflictError('a flag of this import was created meanwhile by another request: import again');
    throw error;
  }
}
