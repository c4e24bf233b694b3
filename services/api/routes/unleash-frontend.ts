import { UnleashMetricsSchema, UnleashRegisterSchema } from '../../../shared/schemas/usage.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';
import { reportMetrics } from '../usage/report-metrics.js';

/**
 * Unleash's frontend API, for unleash-proxy-client in browsers and apps
 * (frontend tokens): evaluated answers only, never a definition.
 */
export function addUnleashFrontendRoutes(table: RouteTable, { usage }: ApiDeps): void {
  addRoute(table, {
    method: 'post',
    path: '/api/frontend/client/register',
    summary: 'Unleash frontend API: a browser SDK announces itself',
    description:
      'unleash-proxy-client calls this at start; checked and answered 202, nothing kept.',
    tags: ['unleash'],
    auth: 'frontend',
    body: UnleashRegisterSchema,
    example: UnleashRegisterSchema.meta()?.example,
    responses: { 202: { description: 'Accepted (the body is checked and dropped)' } },
    handle: async () => ({ status: 202 }),
  });

  addRoute(table, {
    method: 'post',
    path: '/api/frontend/client/metrics',
    summary: "Unleash frontend API: a browser SDK's evaluation counts, kept as the flags' usage",
    description:
      "The same body as POST /api/client/metrics, from unleash-proxy-client with a frontend token; counted in the token's environment.",
    tags: ['unleash'],
    auth: 'frontend',
    body: UnleashMetricsSchema,
    example: UnleashMetricsSchema.meta()?.example,
    responses: {
      202: { description: "Accepted: counted per flag and hour in the token's environment" },
      503: { description: 'Usage could not be stored just now' },
    },
    handle: async ({ body, token }) => reportMetrics(usage, token, body),
  });
}
