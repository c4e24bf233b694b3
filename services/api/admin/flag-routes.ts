import { assertGlobalWriteAllowed } from '../../../shared/domain/change-requests/caller.js';
import {
  archiveFlagAndItsRamps,
  createFlag,
  editFlag,
  readFlagMetadataChangePage,
  readFlagPage,
  requireFlag,
} from '../../../shared/domain/flags/flag-service.js';
import {
  CreateFlagSchema,
  FlagKeyParamsSchema,
  FlagMetadataChangePageSchema,
  FlagMetadataChangesQuerySchema,
  FlagPageSchema,
  FlagSchema,
  ListFlagsQuerySchema,
  UpdateFlagSchema,
} from '../../../shared/schemas/flags.js';
import { listedOr, projectsOf, projectToCreateIn } from '../http/project-access.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';

export function addFlagRoutes(table: RouteTable, { pool, clock }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/flags',
    summary: 'List flags by key, a page at a time (pass nextAfter back as after); stale=true: only those that look stale, with why',
    description:
      "Flags ordered by key, each with its state in every environment, `limit` at a time (default 50); `project=` only those of one project, `tag=` only those with that tag, `owner=` only those of that owner (all combine). Pass `nextAfter` back as `after` for the next page; it is null on the last. `archived=true` includes archived flags, `only` lists only them. `stale=true` lists only live flags that look stale, each with `staleReasons`: past its type's expected lifetime (release and experiment 40 days, operational 7, kill-switch and permission never), not evaluated in any environment for `staleDays` (default 30), or the same answer for everyone in every environment (100 % or 0 %) unchanged for `staleDays`.",
    tags: ['flags'],
    auth: 'admin',
    role: 'viewer',
    query: ListFlagsQuerySchema,
    projects: ({ query }) => listedOr(query.project),
    responses: { 200: { description: 'A page of flags', schema: FlagPageSchema } },
    handle: async ({ query, projects }) => ({ body: await readFlagPage(pool, query, (clock ?? (() => new Date()))(), projects) }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/flags',
    summary: 'Create a flag, optionally with its initial state per environment',
    description:
      "Creates a flag with a state in every environment: those given in `environments`, the others disabled at 100% (so switching one on means on for everyone). `project` puts it in a project (default: `default`; 400 when there is no such project). Keys are unique across every project and for ever: an archived flag keeps its key.",
    tags: ['flags'],
    auth: 'admin',
    role: 'editor',
    body: CreateFlagSchema,
    example: {
      key: 'new_ui',
      description: 'The new UI',
      project: 'default',
      tags: ['checkout', 'team:web'],
      owner: 'web-team',
      environments: { prod: { enabled: true, rollout: 10 } },
    },
    responses: {
      201: { description: 'Created', schema: FlagSchema },
      409: { description: 'A flag with this key exists (archived keys stay taken)' },
    },
    projects: ({ body }) => projectToCreateIn(body.project),
    handle: async ({ body, principal }) => ({ status: 201, body: await createFlag(pool, body, principal.actor) }),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/flags/{key}',
    summary: 'Read a flag with its state in every environment',
    description:
      "The flag, archived or not, with its state in every environment.",
    tags: ['flags'],
    auth: 'admin',
    role: 'viewer',
    params: FlagKeyParamsSchema,
    responses: { 200: { description: 'The flag', schema: FlagSchema }, 404: { description: 'No such flag' } },
    projects: ({ params }) => projectsOf(pool, { flags: [params.key] }),
    handle: async ({ params }) => ({ body: await requireFlag(pool, params.key) }),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/flags/{key}/metadata-changes',
    summary: "Who changed a flag's description, type, tags or owner, and when: oldest first; pass nextAfter back as after",
    description:
      "Each change of the flag's own fields (description, type, tags, owner), archived or not: who made it (an actor as in the audit log), " +
      'the four fields before and after, and when. Such changes touch no environment, so they are not in `GET /v1/events`. Oldest first, ' +
      '`limit` at a time (default 100, at most 1000); pass `nextAfter` back as `after` until it is null; `cursor` is where the page ends, ' +
      'to read what was changed since. Pages never skip a change: changes of one flag take their ids in commit order.',
    tags: ['flags'],
    auth: 'admin',
    role: 'viewer',
    params: FlagKeyParamsSchema,
    query: FlagMetadataChangesQuerySchema,
    responses: {
      200: { description: "A page of the flag's metadata changes", schema: FlagMetadataChangePageSchema },
      404: { description: 'No such flag' },
    },
    projects: ({ params }) => projectsOf(pool, { flags: [params.key] }),
    handle: async ({ params, query }) => ({ body: await readFlagMetadataChangePage(pool, params.key, query) }),
  });

  addRoute(table, {
    method: 'patch',
    path: '/v1/flags/{key}',
    summary: "Edit a flag's description, type, tags or owner, or move it to another project",
    description:
      "Replaces the description, the type (release, experiment, operational, kill-switch, permission: it sets the expected lifetime the stale list reads), the tags (the whole list) and/or the owner (`null`: nobody); none is part of any state, so no change event is written and nothing is pushed. `project` moves the flag: a change of its state in every environment (an event each, pushed like any change; apps whose token cannot see the new project receive it as a removal, like an archive). 409 while it uses a segment of another project, depends on a flag of another project, or a live flag of another project depends on it.",
    tags: ['flags'],
    auth: 'admin',
    role: 'editor',
    params: FlagKeyParamsSchema,
    body: UpdateFlagSchema,
    example: { description: 'The new UI, behind a gradual rollout', tags: ['checkout'], owner: 'payments' },
    responses: {
      200: { description: 'The flag', schema: FlagSchema },
      404: { description: 'No such flag' },
      409: { description: 'A move the flag\'s segments or dependencies tie to its project' },
    },
    // A move needs the role on both projects.
    projects: ({ params, body }) => projectsOf(pool, { flags: [params.key] }, body.project === undefined ? [] : [body.project]),
    handle: async ({ params, body, principal }) => ({ body: await editFlag(pool, params.key, body, principal.actor) }),
  });

  addRoute(table, {
    method: 'delete',
    path: '/v1/flags/{key}',
    summary: 'Archive a flag: SDKs receive it with archived: true and it leaves every snapshot',
    description:
      "Archives the flag in every environment at once: connected SDKs receive it with `archived: true`, it leaves every snapshot, and its ramps are cancelled. Its key stays taken.",
    tags: ['flags'],
    auth: 'admin',
    role: 'editor',
    params: FlagKeyParamsSchema,
    responses: {
      200: { description: 'The archived flag', schema: FlagSchema },
      404: { description: 'No such flag' },
      409: { description: 'Already archived; or an environment is protected and the caller is a person (`change_request_required`)' },
    },
    projects: ({ params }) => projectsOf(pool, { flags: [params.key] }),
    handle: async ({ params, principal }) => {
      // Archiving touches every environment: where one is protected, people archive through a change request.
      await assertGlobalWriteAllowed(pool, principal);
      return { body: await archiveFlagAndItsRamps(pool, params.key, principal.actor) };
    },
  });
}
