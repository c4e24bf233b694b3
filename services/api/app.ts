import express, { type Express } from 'express';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { RevocationWatch } from '../../shared/domain/tokens/revocation-watch.js';
import { createAnswerCache, DEFAULT_ANSWER_CACHE_BYTES } from './snapshots/answer-cache.js';
import { createAnswerCacheMetrics } from './metrics.js';
import { createReportLimiter, DEFAULT_REPORTS_PER_MINUTE } from './usage/report-limits.js';
import type { ApiDeps } from './deps.js';
import { advertisedOrigin } from './http/advertised-origin.js';
import { createAuthenticator } from './http/auth.js';
import { corsForSdkRoutes, sdkCorsHeaders } from './http/cors.js';
import { errorHandler, notFound, requireJsonBody } from './http/errors.js';
import { createLeanPath, type LeanPath } from './http/lean-path.js';
import { createHttpMetrics } from './http/metrics.js';
import { recordedHeaders, securityHeaders } from './http/security-headers.js';
import { uncachedTokenLookup } from '../../shared/domain/tokens/token-cache.js';
import { createMetricsRegistry, dependencyErrorCounter } from '../../shared/metrics/registry.js';
import { errorReporter } from '../../shared/error-classifier.js';
import { addRoute, registerSecuritySchemes, type RouteTable } from './http/route.js';
import { serveConsole } from './console/console-assets.js';
import { addAdminStreamRoutes } from './admin/stream/admin-stream-routes.js';
import { addClientFlagRoutes } from './client/client-flag-routes.js';
import { addEnvironmentRoutes } from './admin/environment-routes.js';
import { addEvaluateRoutes } from './client/evaluate-routes.js';
import { addEventRoutes } from './admin/event-routes.js';
import { addFlagRoutes } from './admin/flag-routes.js';
import { addFlagStateRoutes } from './admin/flag-state-routes.js';
import { addGuideFlagRoutes } from './guide/guide-flag-routes.js';
import { addOfrepRoutes } from './ofrep/ofrep-routes.js';
import { addOperationRoutes } from './http/operation-routes.js';
import { addRampRoutes } from './admin/ramp-routes.js';
import { addSegmentRoutes } from './admin/segment-routes.js';
import { addUnleashStateRoutes } from './unleash/unleash-state-routes.js';
import { addTokenRoutes } from './admin/token-routes.js';
import { addUnleashClientRoutes } from './unleash/unleash-client-routes.js';
import { addUnleashFrontendRoutes } from './unleash/unleash-frontend-routes.js';
import { addUsageRoutes } from './admin/usage-routes.js';
import { addWebhookRoutes } from './admin/webhook-routes.js';
import { registerWebhookMetrics } from './admin/webhook-metrics.js';

export { BODY_LIMIT } from './http/json-body.js';

/** The routes browser code calls with a token of its own (OFREP, Unleash's frontend API): they answer CORS. */
const CORS_PATHS = ['/ofrep', '/api/frontend'];

/** Builds the HTTP API without listening, so tests can mount it on an ephemeral port (Express alone: no lean path). */
export function buildApp(deps: ApiDeps & { revocations: RevocationWatch }): Express {
  return buildApi(deps).app;
}

/**
 * The Express app and the lean path in front of it (http/lean-path.ts); what
 * a server listens with is `lean.listener(app)`.
 */
export function buildApi(deps: ApiDeps & { revocations: RevocationWatch }): { app: Express; lean: LeanPath } {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  const registry = deps.metrics ?? createMetricsRegistry();
  const metrics = createHttpMetrics(registry);
  app.use(metrics.middleware);
  const security = securityHeaders();
  app.use(security);
  const corsOrigins = deps.corsOrigins ?? '*';
  // Browser code calls these with a token of its own (OFREP, Unleash's frontend API).
  app.use(CORS_PATHS, corsForSdkRoutes(corsOrigins));
  app.use(requireJsonBody);

  const tokens = deps.tokens ?? uncachedTokenLookup(deps.pool, deps.revocations);
  const reportError = errorReporter(deps.logger, dependencyErrorCounter(registry));
  const table: RouteTable = {
    router: express.Router(),
    registry: new OpenAPIRegistry(),
    authenticate: createAuthenticator(tokens),
    metrics: registry,
    lean: createLeanPath({
      tokens,
      metrics,
      securityHeaders: recordedHeaders(security),
      cors: { paths: CORS_PATHS, headers: sdkCorsHeaders(corsOrigins) },
      logger: deps.logger,
    }),
    reportError,
  };
  registerSecuritySchemes(table.registry);
  addOperationRoutes(table, deps, registry);
  addEnvironmentRoutes(table, deps);
  addFlagRoutes(table, deps);
  addFlagStateRoutes(table, deps);
  addSegmentRoutes(table, deps);
  addUnleashStateRoutes(table, deps);
  addEventRoutes(table, deps);
  addAdminStreamRoutes(table, deps);
  addTokenRoutes(table, { ...deps, tokens });
  const answers = createAnswerCache({
    maxBytes: deps.answerCacheBytes ?? DEFAULT_ANSWER_CACHE_BYTES,
    metrics: createAnswerCacheMetrics(registry),
  });
  addEvaluateRoutes(table, { ...deps, answers });
  addOfrepRoutes(table, { ...deps, advertisedOrigin: advertisedOrigin(deps), answers });
  addRampRoutes(table, deps);
  addClientFlagRoutes(table, deps);
  addGuideFlagRoutes(table, deps);
  addUsageRoutes(table, deps);
  // One limiter for both metrics routes: a token's reports count once, whichever path they take.
  const reportLimiter = createReportLimiter({
    perMinute: deps.metricsReportsPerMinute ?? DEFAULT_REPORTS_PER_MINUTE,
    now: deps.clock ?? (() => new Date()),
  });
  addUnleashClientRoutes(table, { ...deps, reportLimiter });
  addUnleashFrontendRoutes(table, { ...deps, answers, reportLimiter });
  addWebhookRoutes(table, deps);
  registerWebhookMetrics(metrics.registry, deps.pool, deps.logger);

  // Generated on first request, once every route (this one included) has registered.
  let openApi: unknown;
  addRoute(table, {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document: OpenAPI 3.1, generated from the zod schemas the routes validate with',
    description:
      "This document. It is generated from the same route declarations and zod schemas that validate the requests, so it cannot drift from what the API does.",
    tags: ['operations'],
    auth: 'public',
    responses: { 200: { description: 'The OpenAPI document' } },
    handle: async () => {
      openApi ??= new OpenApiGeneratorV31(table.registry.definitions).generateDocument({
        openapi: '3.1.0',
        info: {
          title: 'FlagShip',
          version: '1.0.0',
          description:
            'Feature flags with real-time push. Errors are `{ "error": { "code", "message", "details"? } }`; ' +
            'tokens travel as `Authorization: Bearer <secret>`, and each operation names the token kinds it takes.',
        },
        servers: deps.publicUrl ? [{ url: deps.publicUrl, description: 'FLAGSHIP_PUBLIC_URL' }] : [],
      });
      return { body: openApi };
    },
  });

  app.use(table.router);
  if (deps.consoleDir !== undefined) serveConsole(app, deps.consoleDir, deps.logger);
  app.use(notFound);
  app.use(errorHandler(reportError));
  return { app, lean: table.lean };
}
