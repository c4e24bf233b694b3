import { UnleashMetricsSchema, UnleashRegisterSchema } from '../../../shared/schemas/usage.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';
import { reportMetrics } from '../usage/report-metrics.js';

/**
 * Unleash's client API, for unmodified Unleash server-side SDKs (sdk tokens,
 * sent as `Authorization: <token>` with or without `Bearer`).
 */
export function addUnleashClientRoutes(table: RouteTable, { usage }: ApiDeps): void {
  addRoute(table, {
    method: 'post',
    path: '/api/client/register',
    summary: 'Unleash client API: an SDK instance announces itself when it starts',
    description:
      'Unleash SDKs call this once at start. FlagShip checks the body and answers 202 as Unleash does; it keeps no instance registry.',
    tags: ['unleash'],
    auth: 'sdk',
    body: UnleashRegisterSchema,
    example: UnleashRegisterSchema.meta()?.example,
    responses: { 202: { description: 'Accepted (FlagShip keeps no instance registry; the body is checked and dropped)' } },
    handle: async () => ({ status: 202 }),
  });

  addRoute(table, {
    method: 'post',
    path: '/api/client/metrics',
    summary: "Unleash client API: an SDK's evaluation counts for one interval, kept as the flags' usage",
    description:
      "The body Unleash SDKs send every metricsInterval: `bucket.toggles` maps flag names to yes/no counts and variant counts. Counted in the token's environment and the hour of `bucket.start` (never later than now); names that are no flag are skipped.",
    tags: ['unleash'],
    auth: 'sdk',
    body: UnleashMetricsSchema,
    example: UnleashMetricsSchema.meta()?.example,
    responses: {
      202: { description: "Accepted: counted per flag and hour in the token's environment (names that are not flags are skipped)" },
      503: { description: 'Usage could not be stored just now' },
    },
    handle: async ({ body, token }) => reportMetrics(usage, token, body),
  });
}
