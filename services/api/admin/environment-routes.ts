import { z } from 'zod';
import { createEnvironment, listEnvironments } from '../../../shared/domain/environments/environment-service.js';
import { CreateEnvironmentSchema, EnvironmentSchema } from '../../../shared/schemas/environments.js';
import { actorOf } from '../http/actor.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';

export function addEnvironmentRoutes(table: RouteTable, { pool }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/environments',
    summary: 'List environments',
    description:
      "Every environment with its version: the counter every change in it bumps by one. `dev`, `staging` and `prod` are seeded by the first migration.",
    tags: ['environments'],
    auth: 'admin',
    responses: { 200: { description: 'Every environment', schema: z.object({ environments: z.array(EnvironmentSchema) }) } },
    handle: async () => ({ body: { environments: await listEnvironments(pool) } }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/environments',
    summary: 'Add an environment (every live flag gets a disabled state there)',
    description:
      "Adds an environment. Every live flag gets a state there, disabled at 100%, so the new environment's snapshot lists every flag; each is recorded as a change.",
    tags: ['environments'],
    auth: 'admin',
    body: CreateEnvironmentSchema,
    example: { key: 'qa' },
    responses: {
      201: { description: 'Created', schema: EnvironmentSchema },
      409: { description: 'It exists already' },
    },
    handle: async ({ body, token }) => {
      return { status: 201, body: await createEnvironment(pool, body.key, actorOf(token)) };
    },
  });
}
