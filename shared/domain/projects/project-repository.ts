import { ConflictError, NotFoundError } from '../../errors.js';
import type { Queryable } from '../../db/pool.js';
import { UNIQUE_VIOLATION, hasPostgresCode } from '../../db/postgres-errors.js';
import type { CreateProject, Project, UpdateProject } from '../../schemas/projects.js';

const PROJECT_COLUMNS = `key, name, description, created_at as "createdAt", updated_at as "updatedAt"`;

export async function listProjects(db: Queryable): Promise<Project[]> {
  const { rows } = await db.query<Project>(`select ${PROJECT_COLUMNS} from project order by key`);
  return rows;
}

export async function findProject(db: Queryable, key: string): Promise<Project | undefined> {
  const { rows } = await db.query<Project>(`select ${PROJECT_COLUMNS} from project where key = $1`, [key]);
  return rows[0];
}

/** The project, its row locked against deletion (key share) until the transaction ends: a flag or segment put in it meanwhile cannot lose it. */
export async function lockProjectForUse(db: Queryable, key: string): Promise<Project | undefined> {
  const { rows } = await db.query<Project>(`select ${PROJECT_COLUMNS} from project where key = $1 for key share`, [key]);
  return rows[0];
}

/** What a request may touch, by its own names: flag keys, segment ids, ramp ids. */
export interface ProjectSubjects {
  flags?: readonly string[];
  segments?: readonly number[];
  ramps?: readonly string[];
}

/** The projects of these flags, segments and ramps (their flags'), in key order; those that do not exist add none. */
export async function projectsOfSubjects(db: Queryable, subjects: ProjectSubjects): Promise<string[]> {
  const { rows } = await db.query<{ project: string }>(
    `select project from (
        select project_key as project from flag where key = any($1::text[])
        union select project_key from segment where id = any($2::int[])
        union select f.project_key from rollout_plan p join flag f on f.id = p.flag_id where p.id = any($3::uuid[])
      ) as touched
      order by project`,
    [subjects.flags ?? [], subjects.segments ?? [], subjects.ramps ?? []],
  );
  return rows.map((row) => row.project);
}

/** Of `keys`, those that name no project. */
export async function missingProjects(db: Queryable, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const { rows } = await db.query<{ key: string }>(
    `select k.key from unnest($1::text[]) as k (key) where not exists (select 1 from project p where p.key = k.key) order by k.key`,
    [keys],
  );
  return rows.map((row) => row.key);
}

export async function insertProject(db: Queryable, input: CreateProject): Promise<Project> {
  try {
    const { rows } = await db.query<Project>(
      `insert into project (key, name, description) values ($1, $2, $3) returning ${PROJECT_COLUMNS}`,
      [input.key, input.name ?? input.key, input.description ?? ''],
    );
    return rows[0]!;
  } catch (error) {
    if (hasPostgresCode(error, UNIQUE_VIOLATION)) throw new ConflictError(`project '${input.key}' already exists`);
    throw error;
  }
}

export async function updateProject(db: Queryable, key: string, change: UpdateProject): Promise<Project> {
  const { rows } = await db.query<Project>(
    `update project set name = coalesce($2, name), description = coalesce($3, description), updated_at = now()
      where key = $1
      returning ${PROJECT_COLUMNS}`,
    [key, change.name ?? null, change.description ?? null],
  );
  if (!rows[0]) throw new NotFoundError(`project '${key}' does not exist`);
  return rows[0];
}

/** The project, its row locked until the transaction ends (before it is deleted). */
export async function lockProject(db: Queryable, key: string): Promise<Project | undefined> {
  const { rows } = await db.query<Project>(`select ${PROJECT_COLUMNS} from project where key = $1 for update`, [key]);
  return rows[0];
}

export interface ProjectContents {
  flags: number;
  segments: number;
  /** Live sdk and frontend tokens that name the project. */
  tokens: number;
}

/** What still belongs to (or names) a project: flags (archived ones too: they keep their project), segments and live tokens. */
export async function countProjectContents(db: Queryable, key: string): Promise<ProjectContents> {
  const { rows } = await db.query<ProjectContents>(
    `select (select count(*)::int from flag where project_key = $1) as flags,
            (select count(*)::int from segment where project_key = $1) as segments,
            (select count(*)::int from api_token where revoked_at is null and $1 = any (projects)) as tokens`,
    [key],
  );
  return rows[0]!;
}

export async function deleteProject(db: Queryable, key: string): Promise<void> {
  await db.query(`delete from project where key = $1`, [key]);
}
