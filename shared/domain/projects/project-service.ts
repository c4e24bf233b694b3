import type { Pool, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { CreateProject, Project, UpdateProject } from '../../schemas/projects.js';
import {
  countProjectContents,
  deleteProject,
  findProject,
  insertProject,
  listProjects,
  lockProject,
  lockProjectForUse,
  missingProjects,
  updateProject,
} from './project-repository.js';

export { listProjects };

/** The project every flag and segment made before projects is in, and where new ones go unless told. */
export const DEFAULT_PROJECT = 'default';

export async function requireProject(db: Queryable, key: string): Promise<Project> {
  const project = await findProject(db, key);
  if (!project) throw new NotFoundError(`project '${key}' does not exist`);
  return project;
}

/**
 * The project a flag or segment is being put in (a 400 naming `field` when
 * it does not exist), locked against deletion until the transaction ends.
 */
export async function requireProjectForUse(client: Queryable, key: string, field: string[]): Promise<Project> {
  const project = await lockProjectForUse(client, key);
  if (!project) {
    throw new ValidationError(`invalid body: body.${field.join('.')}: no project '${key}'`, [
      { in: 'body', path: field, message: `no project '${key}'` },
    ]);
  }
  return project;
}

/** A token's projects must exist (a typo would silently show nothing); `*` always does. */
export async function requireTokenProjects(client: Queryable, projects: readonly string[]): Promise<void> {
  const missing = await missingProjects(client, projects.filter((project) => project !== '*'));
  if (missing.length > 0) {
    throw new ValidationError(
      `invalid body: body.projects: no project ${missing.map((key) => `'${key}'`).join(', ')}`,
      missing.map((key) => ({ in: 'body', path: ['projects', String(projects.indexOf(key))], message: `no project '${key}'` })),
    );
  }
}

export async function createProject(pool: Pool, input: CreateProject): Promise<Project> {
  return withTransaction(pool, (client) => insertProject(client, input));
}

export async function changeProject(pool: Pool, key: string, change: UpdateProject): Promise<Project> {
  return withTransaction(pool, (client) => updateProject(client, key, change));
}

/**
 * Deletes an empty project: no flag (archived ones keep their project), no
 * segment, and no live token naming it (a project made again under the same
 * key must not open to an old token). 409 saying what is left otherwise.
 * The row lock comes first: putting a flag or segment in the project takes a
 * key-share lock on it, so the count sees every committed use.
 */
export async function removeProject(pool: Pool, key: string): Promise<Project> {
  return withTransaction(pool, async (client) => {
    if (key === DEFAULT_PROJECT) throw new ConflictError(`project '${DEFAULT_PROJECT}' cannot be deleted: flags and segments go there unless told otherwise`);
    const project = await lockProject(client, key);
    if (!project) throw new NotFoundError(`project '${key}' does not exist`);
    const contents = await countProjectContents(client, key);
    if (contents.flags > 0 || contents.segments > 0 || contents.tokens > 0) {
      const left = [
        contents.flags > 0 && `${contents.flags} flag(s) (archived ones count: move them out)`,
        contents.segments > 0 && `${contents.segments} segment(s)`,
        contents.tokens > 0 && `${contents.tokens} live token(s) naming it (revoke them)`,
      ].filter(Boolean);
      throw new ConflictError(`project '${key}' is not empty: ${left.join(', ')}`, contents);
    }
    await deleteProject(client, key);
    return project;
  });
}
