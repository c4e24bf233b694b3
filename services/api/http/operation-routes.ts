import { z } from 'zod';
import type { Registry } from 'prom-client';
import { UnauthorizedError } from '../../../shared/errors.js';
import { metricsScrapeAllowed } from '../../../shared/metrics/registry.js';
import type { ApiDeps } from '../deps.js';
import { RETRY_AFTER_SECONDS } from '../../../shared/error-classifier.js';
import { checkReadiness, stateProbe } from '../../../shared/readiness.js';
import { addRoute, type RouteTable } from './route.js';

const HealthSchema = z.object({ status: z.enum(['ok', 'degraded', 'unavailable']), checks: z.record(z.string(), z.string()).optional() });

/** Liveness, readiness and Prometheus metrics: public, as orchestrators and scrapers expect. */
export function addOperationRoutes(table: RouteTable, { pool, redis, metricsToken, startComplete }: ApiDeps, metrics: Registry): void {
  addRoute(table, {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process answers',
    description:
      "200 while the process runs; it checks nothing else (use /readyz for the dependencies).",
    tags: ['operations'],
    auth: 'public',
    responses: { 200: { description: 'Alive', schema: HealthSchema } },
    handle: async () => ({ body: { status: 'ok' } }),
  });

  addRoute(table, {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: started, and PostgreSQL answers',
    description:
      "200 when the start is complete (an admin token exists: FLAGSHIP_ADMIN_TOKEN registered, or the first one created and printed) " +
      "and PostgreSQL answers within a second; 503 naming what is not (`start: starting` until the start is complete). " +
      "Redis is checked too but never makes the API unready (reads fall back to PostgreSQL): without it the answer is 200 with " +
      "`status: degraded` and what went wrong under `checks.redis`, so a load balancer keeps every API in rotation while Redis is away.",
    tags: ['operations'],
    auth: 'public',
    responses: {
      200: { description: 'Ready (`degraded`: Redis does not answer)', schema: HealthSchema },
      503: { description: 'PostgreSQL does not answer, or the start is not complete', schema: HealthSchema, headers: { 'Retry-After': 'Seconds to wait before asking again' } },
    },
    handle: async () => {
      const readiness = await checkReadiness([
        // Only a process's own start has this check (an app built alone by a test has none).
        ...(startComplete ? [{ name: 'start', probe: stateProbe(startComplete, 'starting'), required: true }] : []),
        { name: 'postgres', probe: () => pool.query('select 1'), required: true },
        { name: 'redis', probe: () => redis.ping(), required: false },
      ]);
      const ready = readiness.status !== 'unavailable';
      return {
        status: ready ? 200 : 503,
        headers: ready ? undefined : { 'Retry-After': RETRY_AFTER_SECONDS },
        body: readiness,
      };
    },
  });

  addRoute(table, {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    description:
      "Prometheus text format: HTTP requests and latency per route, snapshot cache hits, misses and fallbacks to PostgreSQL, open SSE streams per environment, " +
      "dependency errors by kind, and the process's default metrics (all three services' metrics when they run in one process). " +
      "Behind `Authorization: Bearer <FLAGSHIP_METRICS_TOKEN>` when that variable is set (401 without it).",
    tags: ['operations'],
    auth: 'public',
    responses: {
      200: { description: 'Prometheus text exposition format' },
      401: { description: 'FLAGSHIP_METRICS_TOKEN is set and the request does not carry it' },
    },
    handle: async ({ req, res }) => {
      if (!metricsScrapeAllowed(req.headers.authorization, metricsToken)) {
        throw new UnauthorizedError('send Authorization: Bearer <FLAGSHIP_METRICS_TOKEN>');
      }
      res.setHeader('Content-Type', metrics.contentType);
      res.end(await metrics.metrics());
    },
  });
}
