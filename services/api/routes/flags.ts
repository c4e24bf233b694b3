import { insertFlag, listFlags, requireFlag, updateFlag } from '../../../shared/db/flags.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { ValidationError } from '../../../shared/errors.js';
import {
  CreateFlagSchema,
  FlagKeyParamsSchema,
  FlagPageSchema,
  FlagSchema,
  ListFlagsQuerySchema,
  UpdateFlagSchema,
} from '../../../shared/schemas/flags.js';
import { actorOf } from '../actor.js';
import type { ApiDeps } from '../deps.js';
import { archiveFlagAndItsRamps } from '../ramp-rules.js';
import { addRoute, type RouteTable } from '../http/route.js';
import { DEFAULT_STALE_DAYS, findStaleFlags } from '../usage/stale-flags.js';

const DEFAULT_PAGE_SIZE = 50;

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
    handle: async ({ query }) => {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      if (query.stale === 'true') {
        if (query.archived !== undefined && query.archived !== 'false') {
          throw new ValidationError('invalid query: stale=true lists live flags only; leave out archived', [
            { in: 'query', path: ['archived'], message: 'cannot be combined with stale=true' },
          ]);
        }
        return {
          body: await findStaleFlags((after, size) => listFlags(pool, { after, limit: size, archived: 'false' }), {
            after: query.after,
            limit,
            now: (clock ?? (() => new Date()))(),
            staleDays: query.staleDays ?? DEFAULT_STALE_DAYS,
          }),
        };
      }
      const flags = await listFlags(pool, { after: query.after, limit, archived: query.archived ?? 'false' });
      const nextAfter = flags.length === limit ? flags[flags.length - 1]!.key : null;
      return { body: { flags, nextAfter } };
    },
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
    handle: async ({ body, token }) => {
      const flag = await withTransaction(pool, (client) => insertFlag(client, body), { actor: actorOf(token) });
      return { status: 201, body: flag };
    },
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
      body: await withTransaction(pool, (client) => archiveFlagAndItsRamps(client, params.key), { actor: actorOf(token) }),
    }),
  });
}
