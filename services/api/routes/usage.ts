import { requireEnvironment } from '../../../shared/db/environments.js';
import { requireFlag } from '../../../shared/db/flags.js';
import { listFlagUsage } from '../../../shared/db/usage.js';
import { FlagKeyParamsSchema } from '../../../shared/schemas/flags.js';
import { FlagUsageQuerySchema, FlagUsageSchema, type FlagUsage } from '../../../shared/schemas/usage.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';

const HOUR_MS = 3_600_000;
const DEFAULT_HOURS = 48;

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
    params: FlagKeyParamsSchema,
    query: FlagUsageQuerySchema,
    responses: {
      200: { description: 'Hourly yes/no and variant counts, newest first, from Unleash SDK reports and the API\'s own evaluations', schema: FlagUsageSchema },
      404: { description: 'No such flag or environment' },
    },
    handle: async ({ params, query }) => {
      const flag = await requireFlag(pool, params.key);
      if (query.environment !== undefined) await requireEnvironment(pool, query.environment);
      const now = (clock ?? (() => new Date()))().getTime();
      const since = new Date(Math.floor(now / HOUR_MS) * HOUR_MS - ((query.hours ?? DEFAULT_HOURS) - 1) * HOUR_MS);
      const lastSeenAt: Record<string, string> = {};
      for (const [environment, state] of Object.entries(flag.environments)) {
        if (state.lastSeenAt !== null && (query.environment === undefined || environment === query.environment)) {
          lastSeenAt[environment] = state.lastSeenAt;
        }
      }
      const body: FlagUsage = { key: flag.key, lastSeenAt, hours: await listFlagUsage(pool, flag.id, since, query.environment) };
      return { body };
    },
  });
}
