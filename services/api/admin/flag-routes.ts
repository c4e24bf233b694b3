import {
  archiveFlagAndItsRamps,
  createFlag,
  readFlagPage,
  requireFlag,
  updateFlag,
} from '../../../shared/domain/flags/flag-service.js';
import {
  CreateFlagSchema,
  FlagKeyParamsSchema,
  FlagPageSchema,
  FlagSchema,
  ListFlagsQuerySchema,
  UpdateFlagSchema,
} from '../../../shared/schemas/flags.js';
import { actorOf } from '../http/actor.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';

export function addFlagRoutes(table: RouteTable, { pool, clock }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/flags',
    summary: 'List flags by key, a page at a time (pass nextAfter back as after); stale=true: only those that look stale, with why',
    description:
      "Flags ordered by key, each with its state in every environment, `limit` at a time (default 50). Pass `nextAfter` back as `after` for the next page; it is null on the last. `archived=true` includes archived flags, `only` lists only them. `stale=true` lists only live flags that look stale, each with `staleReasons`: past its type's expected lifetime (release and experiment 40 days, operational 7, kill-switch and permission never), not evaluated in any environment for `staleDays` (default 30), or the same answer for everyone in every environment (100 % or 0 %) unchanged for `staleDays`.",
    tags: ['flags'],
    auth: 'admin',
    query: ListFlagsQuerySchema,
    responses: { 200: { description: 'A page of flags', schema: FlagPageSchema } },
    handle: async ({ query }) => ({ body: await readFlagPage(pool, query, (clock ?? (() => new Date()))()) }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/flags',
    summary: 'Create a flag, optionally with its initial state per environment',
    description:
      "Creates a flag with a state in every environment: those given in `environments`, the others disabled at 100% (so switching one on means on for everyone). Keys are unique for ever: an archived flag keeps its key.",
    tags: ['flags'],
    auth: 'admin',
    body: CreateFlagSchema,
    example: { key: 'new_ui', description: 'The new UI', environments: { prod: { enabled: true, rollout: 10 } } },
    responses: {
      201: { description: 'Created', schema: FlagSchema },
      409: { description: 'A flag with this key exists (archived keys stay taken)' },
    },
    handle: async ({ body, token }) => ({ status: 201, body: await createFlag(pool, body, actorOf(token)) }),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/flags/{key}',
    summary: 'Read a flag with its state in every environment',
    description:
      "The flag, archived or not, with its state in every environment.",
    tags: ['flags'],
    auth: 'admin',
    params: FlagKeyParamsSchema,
    responses: { 200: { description: 'The flag', schema: FlagSchema }, 404: { description: 'No such flag' } },
    handle: async ({ params }) => ({ body: await requireFlag(pool, params.key) }),
  });

  addRoute(table, {
    method: 'patch',
    path: '/v1/flags/{key}',
    summary: "Edit a flag's description or type",
    description:
      "Replaces the description and/or the type (release, experiment, operational, kill-switch, permission: it sets the expected lifetime the stale list reads). Neither is part of any state, so no change event is written and nothing is pushed.",
    tags: ['flags'],
    auth: 'admin',
    params: FlagKeyParamsSchema,
    body: UpdateFlagSchema,
    example: { description: 'The new UI, behind a gradual rollout' },
    responses: { 200: { description: 'The flag', schema: FlagSchema }, 404: { description: 'No such flag' } },
    handle: async ({ params, body }) => ({ body: await updateFlag(pool, params.key, body) }),
  });

  addRoute(table, {
    method: 'delete',
    path: '/v1/flags/{key}',
    summary: 'Archive a flag: SDKs receive it with archived: true and it leaves every snapshot',
    description:
      "Archives the flag in every environment at once: connected SDKs receive it with `archived: true`, it leaves every snapshot, and its ramps are cancelled. Its key stays taken.",
    tags: ['flags'],
    auth: 'admin',
    params: FlagKeyParamsSchema,
    responses: {
      200: { description: 'The archived flag', schema: FlagSchema },
      404: { description: 'No such flag' },
      409: { description: 'Already archived' },
    },
    handle: async ({ params, token }) => ({
      body: await archiveFlagAndItsRamps(pool, params.key, actorOf(token)),
    }),
  });
}
