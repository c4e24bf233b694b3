import { readFlagUsage } from '../../../shared/domain/usage/usage-service.js';
import { FlagKeyParamsSchema } from '../../../shared/schemas/flags.js';
import { FlagUsageQuerySchema, FlagUsageSchema } from '../../../shared/schemas/usage.js';
import type { ApiDeps } from '../deps.js';
import { projectsOf } from '../http/project-access.js';
import { addRoute, type RouteTable } from '../http/route.js';

/** `GET /v1/flags/{key}/usage`: how often a flag was evaluated, per environment and hour. */
export function addUsageRoutes(table: RouteTable, { pool, clock }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/flags/{key}/usage',
    summary: "A flag's evaluation counts per environment and hour, and when it was last evaluated",
    description:
      "Counts come from Unleash SDK reports (POST /api/client/metrics, /api/frontend/client/metrics) and from the API's own evaluations (POST /v1/client/evaluate, OFREP, the frontend API), kept 90 days. `lastSeenAt` per environment outlives the hourly rows.",
    tags: ['flags'],
    auth: 'admin',
    role: 'viewer',
    params: FlagKeyParamsSchema,
    query: FlagUsageQuerySchema,
    projects: ({ params }) => projectsOf(pool, { flags: [params.key] }),
    responses: {
      200: { description: 'Hourly yes/no and variant counts, newest first, from Unleash SDK reports and the API\'s own evaluations', schema: FlagUsageSchema },
      404: { description: 'No such flag or environment' },
    },
    handle: async ({ params, query }) => ({
      body: await readFlagUsage(pool, { ...query, key: params.key }, (clock ?? (() => new Date()))()),
    }),
  });
}
