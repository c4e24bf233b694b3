import { archiveFlag, insertFlag, listFlags, requireFlag, updateFlagDescription } from '../../../shared/db/flags.js';
import { withTransaction } from '../../../shared/db/tx.js';
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
import { addRoute, type RouteTable } from '../http/route.js';

const DEFAULT_PAGE_SIZE = 50;

export function addFlagRoutes(table: RouteTable, { pool }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/flags',
    summary: 'List flags by key, a page at a time (pass nextAfter back as after)',
    tags: ['flags'],
    auth: 'admin',
    query: ListFlagsQuerySchema,
    responses: { 200: { description: 'A page of flags', schema: FlagPageSchema } },
    handle: async ({ query }) => {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const flags = await listFlags(pool, { after: query.after, limit, archived: query.archived ?? 'false' });
      const nextAfter = flags.length === limit ? flags[flags.length - 1]!.key : null;
      return { body: { flags, nextAfter } };
    },
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/flags',
    summary: 'Create a flag, optionally with its initial state per environment',
    tags: ['flags'],
    auth: 'admin',
    body: CreateFlagSchema,
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
    tags: ['flags'],
    auth: 'admin',
    params: FlagKeyParamsSchema,
    responses: { 200: { description: 'The flag', schema: FlagSchema }, 404: { description: 'No such flag' } },
    handle: async ({ params }) => ({ body: await requireFlag(pool, params.key) }),
  });

  addRoute(table, {
    method: 'patch',
    path: '/v1/flags/{key}',
    summary: "Edit a flag's description",
    tags: ['flags'],
    auth: 'admin',
    params: FlagKeyParamsSchema,
    body: UpdateFlagSchema,
    responses: { 200: { description: 'The flag', schema: FlagSchema }, 404: { description: 'No such flag' } },
    handle: async ({ params, body }) => ({ body: await updateFlagDescription(pool, params.key, body.description) }),
  });

  addRoute(table, {
    method: 'delete',
    path: '/v1/flags/{key}',
    summary: 'Archive a flag: SDKs receive it with archived: true and it leaves every snapshot',
    tags: ['flags'],
    auth: 'admin',
    params: FlagKeyParamsSchema,
    responses: {
      200: { description: 'The archived flag', schema: FlagSchema },
      404: { description: 'No such flag' },
      409: { description: 'Already archived' },
    },
    handle: async ({ params, token }) => ({
      body: await withTransaction(pool, (client) => archiveFlag(client, params.key), { actor: actorOf(token) }),
    }),
  });
}
