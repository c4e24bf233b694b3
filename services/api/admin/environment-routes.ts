import { z } from 'zod';
import { createEnvironment, listEnvironments, protectEnvironment } from '../../../shared/domain/environments/environment-service.js';
import { awaitEnvironmentRelay, readEnvironmentRelay } from '../../../shared/domain/relay-reports/relay-service.js';
import {
  CreateEnvironmentSchema,
  EnvironmentParamsSchema,
  EnvironmentRelayQuerySchema,
  EnvironmentRelaySchema,
  EnvironmentSchema,
  MAX_RELAY_WAIT_MS,
} from '../../../shared/schemas/environments.js';
import { EnvironmentProtectionSchema } from '../../../shared/schemas/change-requests.js';
import { EnvironmentKeySchema } from '../../../shared/schemas/common.js';
import type { RelayWatch } from '../../../shared/domain/relay-reports/relay-watch.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, LISTED_PROJECTS, type RouteTable } from '../http/route.js';

export function addEnvironmentRoutes(table: RouteTable, { pool, redis, redisPrefix, relayWatch }: ApiDeps & { relayWatch: RelayWatch }): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/environments',
    summary: 'List environments',
    description:
      "Every environment with its version: the counter every change in it bumps by one. `dev`, `staging` and `prod` are seeded by the first migration.",
    tags: ['environments'],
    auth: 'admin',
    role: 'viewer',
    // Environments are every project's: anyone with a role on some project reads them.
    projects: () => LISTED_PROJECTS,
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
    role: 'admin',
    body: CreateEnvironmentSchema,
    example: { key: 'qa' },
    responses: {
      201: { description: 'Created', schema: EnvironmentSchema },
      409: { description: 'It exists already' },
    },
    handle: async ({ body, principal }) => {
      return { status: 201, body: await createEnvironment(pool, body.key, principal.actor) };
    },
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/environments/{env}/relayed',
    summary: 'How far the running notifiers have pushed an environment (a deploy gate)',
    description:
      'Each live notifier reports, the moment it relays a version to its sockets, the last version it relayed per environment ' +
      '(a report in Redis that expires a few seconds after the notifier stops refreshing it, so a killed notifier stops counting). ' +
      '`version` is the lowest version every live notifier relayed; once it reaches the version of your change, every connected SDK ' +
      'has been sent it. With `atLeast=<version>` the answer is held until that holds (it is sent within a Redis round trip of the last ' +
      `notifier's report) or \`waitMs\` passed (default and at most ${MAX_RELAY_WAIT_MS} ms), then says where the relay stands either way: ` +
      '`flagship wait` asks again until its own timeout. 503 while Redis is unreachable.',
    tags: ['environments'],
    auth: 'admin',
    role: 'viewer',
    // Environments are every project's: anyone with a role on some project reads them.
    projects: () => LISTED_PROJECTS,
    params: EnvironmentParamsSchema,
    query: EnvironmentRelayQuerySchema,
    responses: {
      200: { description: 'The relay', schema: EnvironmentRelaySchema },
      404: { description: 'No such environment' },
    },
    handle: async ({ params, query, res }) => {
      if (query.atLeast === undefined) return { body: await readEnvironmentRelay(pool, redis, redisPrefix, params.env) };
      // The caller gone (its timeout, a closed connection): stop holding the answer.
      const left = new AbortController();
      res.once('close', () => left.abort());
      const relay = await awaitEnvironmentRelay(pool, redis, redisPrefix, relayWatch, {
        environment: params.env,
        atLeast: query.atLeast,
        waitMs: query.waitMs ?? MAX_RELAY_WAIT_MS,
        signal: left.signal,
      });
      return { body: relay };
    },
  });

  addRoute(table, {
    method: 'patch',
    path: '/v1/environments/{env}',
    summary: 'Protect an environment: people change it only through approved change requests',
    description:
      'Sets `protected` and `requiredApprovals` (1-10). In a protected environment a direct write by a person (a session or a personal token) is refused ' +
      'with 409 `change_request_required`: propose it with POST /v1/change-requests. Admin tokens (service accounts), ramps, schedules and applied change ' +
      'requests still write, each recorded as what it is. Changing the protection never moves the environment version.',
    tags: ['environments'],
    auth: 'admin',
    role: 'admin',
    params: z.strictObject({ env: EnvironmentKeySchema }),
    body: EnvironmentProtectionSchema,
    example: { protected: true, requiredApprovals: 1 },
    responses: { 200: { description: 'The environment', schema: EnvironmentSchema }, 404: { description: 'No such environment' } },
    handle: async ({ params, body }) => ({ body: await protectEnvironment(pool, params.env, body) }),
  });
}
