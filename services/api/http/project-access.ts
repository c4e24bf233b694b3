import type { Pool } from 'pg';
import { projectsOfSubjects, type ProjectSubjects } from '../../../shared/domain/projects/project-repository.js';
import { findChangeRequest } from '../../../shared/domain/change-requests/change-request-repository.js';
import { DEFAULT_PROJECT } from '../../../shared/domain/projects/project-service.js';
import { LISTED_PROJECTS, ProjectLookup, type ProjectsTouched } from './route.js';

/*
 * How routes say which projects a request touches (RouteSpec `projects`):
 * the route mechanism (route.ts) checks the caller's role on each. One
 * function per way a request names a project, shared by every route that
 * names it that way.
 */

/**
 * The projects of the flags, segments and ramps a request names (none for
 * those that do not exist: the handler's 404), and `alsoIn` (where a request
 * moves or creates things). Looked up only for a caller without the role on
 * every project (ProjectLookup).
 */
export function projectsOf(pool: Pool, subjects: ProjectSubjects, alsoIn: readonly string[] = []): ProjectLookup {
  return new ProjectLookup(async () => [...(await projectsOfSubjects(pool, subjects)), ...alsoIn]);
}

/** A list across projects, or only one project's when the request names it (`?project=`). */
export function listedOr(project: string | undefined): ProjectsTouched {
  return project ?? LISTED_PROJECTS;
}

/** The project a new thing goes in (a body's `project`, `default` without one). */
export function projectToCreateIn(project: string | undefined): string {
  return project ?? DEFAULT_PROJECT;
}

/** The projects of what a change request (or schedule) changes: its flags' and segments'. */
export function projectsOfChangeRequest(pool: Pool, id: string): ProjectLookup {
  return new ProjectLookup(async () => {
    const request = await findChangeRequest(pool, id);
    return request ? projectsOfChanges(pool, request.changes).lookUp() : [];
  });
}

/** The projects of planned changes (`{ flag }` or `{ segment }` each). */
export function projectsOfChanges(pool: Pool, changes: ReadonlyArray<{ flag: string } | { segment: number }>): ProjectLookup {
  return projectsOf(pool, {
    flags: changes.flatMap((change) => ('flag' in change ? [change.flag] : [])),
    segments: changes.flatMap((change) => ('segment' in change ? [change.segment] : [])),
  });
}
