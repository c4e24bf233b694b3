import express, { type Express } from 'express';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { RevocationWatch } from '../../shared/domain/tokens/revocation-watch.js';
import type { RelayWatch } from '../../shared/domain/relay-reports/relay-watch.js';
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
import { createPeopleLookup } from '../../shared/domain/people/people-lookup.js';
import { createMetricsRegistry, dependencyErrorCounter } from '../../shared/metrics/registry.js';
import { errorReporter } from '../../shared/error-classifier.js';
import { addRoute, registerSecuritySchemes, type RouteTable } from './http/route.js';
import { serveConsole } from './console/console-assets.js';
import { addAdminStreamRoutes } from './admin/stream/admin-stream-routes.js';
import { addClientEventRoutes } from './client/client-event-routes.js';
import { addClientFlagRoutes } from './client/client-flag-routes.js';
import { addEnvironmentRoutes } from './admin/environment-routes.js';
import { addChangeRequestRoutes } from './admin/change-request-routes.js';
import { addEvaluateRoutes } from './client/evaluate-routes.js';
import { addEventRoutes } from './admin/event-routes.js';
import { addFlagRoutes } from './admin/flag-routes.js';
import { addFlagStateRoutes } from './admin/flag-state-routes.js';
import { addHistoryRoutes } from './admin/history-routes.js';
import { addGuideFlagRoutes } from './guide/guide-flag-routes.js';
import { addOfrepRoutes } from './ofrep/ofrep-routes.js';
import { addOperationRoutes } from './http/operation-routes.js';
import { addProjectRoutes } from './admin/project-routes.js';
import { addRampRoutes } from './admin/ramp-routes.js';
import { addSegmentRoutes } from './admin/segment-routes.js';
import { addUnleashStateRoutes } from './unleash/unleash-state-routes.js';
import { addTokenRoutes } from './admin/token-routes.js';
import { addAuthRoutes } from './people/auth-routes.js';
import { addMeRoutes } from './people/me-routes.js';
import { addUserRoutes } from './people/user-routes.js';
import { addUnleashClientRoutes } from './unleash/unleash-client-routes.js';
import { addUnleashFrontendRoutes } from './unleash/unleash-frontend-routes.js';
import { addUsageRoutes } from './admin/usage-routes.js';
import { addWebhookRoutes } from './admin/webhook-routes.js';
import { addOidcRoutes, SSO_SIGN_IN } from './auth/oidc-routes.js';
import { registerWebhookMetrics } from './admin/webhook-metrics.js';

export { BODY_LIMIT } from './http/json-body.js';

/** The routes browser code calls with a token of its own (OFREP, Unleash's frontend API): they answer CORS. */
const CORS_PATHS = ['/ofrep', '/api/frontend', '/v1/client/events'];

/** Builds the HTTP API without listening, so tests can mount it on an ephemeral port (Express alone: no lean path). */
export function buildApp(deps: ApiDeps & { revocations: RevocationWatch; relayWatch: RelayWatch }): Express {
  return buildApi(deps).app;
}

/**
 * The Express app and the lean path in front of it (http/lean-path.ts); what
 * a server listens with is `lean.listener(app)`.
 */
export function buildApi(deps: ApiDeps & { revocations: RevocationWatch; relayWatch: RelayWatch }): {
  app: Express;
  lean: LeanPath;
  /** The OpenAPI document of every route this app registered (what GET /openapi.json answers). */
  openApi: () => ReturnType<typeof openApiDocument>;
} {
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
    authenticate: createAuthenticator({
      tokens,
      people: createPeopleLookup(deps.pool, { policy: deps.sessionPolicy, clock: deps.clock, revocations: deps.revocations, logger: deps.logger }),
      publicUrl: deps.publicUrl,
    }),
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
  addProjectRoutes(table, deps);
  addFlagRoutes(table, deps);
  addFlagStateRoutes(table, deps);
  addSegmentRoutes(table, deps);
  addUnleashStateRoutes(table, deps);
  addEventRoutes(table, deps);
  addHistoryRoutes(table, deps);
  addAdminStreamRoutes(table, deps);
  addTokenRoutes(table, { ...deps, tokens });
  addUserRoutes(table, { ...deps, tokens });
  addMeRoutes(table, { ...deps, tokens });
  // The sign-in page offers single sign-on when its routes are configured.
  addAuthRoutes(table, { ...deps, tokens, singleSignOn: deps.oidc ? SSO_SIGN_IN : deps.singleSignOn });
  const answers = createAnswerCache({
    maxBytes: deps.answerCacheBytes ?? DEFAULT_ANSWER_CACHE_BYTES,
    metrics: createAnswerCacheMetrics(registry),
  });
  addEvaluateRoutes(table, { ...deps, answers });
  addOfrepRoutes(table, { ...deps, advertisedOrigin: advertisedOrigin(deps), answers });
  addRampRoutes(table, deps);
  addChangeRequestRoutes(table, deps);
  addClientFlagRoutes(table, deps);
  addClientEventRoutes(table, deps);
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
  addOidcRoutes(table, { oidc: deps.oidc });
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
      openApi ??= openApiDocument(table.registry, deps.publicUrl);
      return { body: openApi };
    },
  });

  app.use(table.router);
  if (deps.consoleDir !== undefined) serveConsole(app, deps.consoleDir, deps.logger);
  app.use(notFound);
  app.use(errorHandler(reportError));
  return { app, lean: table.lean, openApi: () => openApiDocument(table.registry, deps.publicUrl) };
}

/** The OpenAPI 3.1 document of the routes `registry` holds; `publicUrl` (FLAGSHIP_PUBLIC_URL) is its server when given. */
export function openApiDocument(registry: OpenAPIRegistry, publicUrl: string | undefined) {
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'FlagShip',
      version: '1.0.0',
      description:
        'Feature flags with real-time push. Errors are `{ "error": { "code", "message", "details"? } }`; ' +
        'tokens travel as `Authorization: Bearer <secret>`, and each operation names the token kinds it takes.',
    },
    servers: publicUrl ? [{ url: publicUrl, description: 'FLAGSHIP_PUBLIC_URL' }] : [],
  });
  return nullableRefsAsAnyOf(document);
}

/**
 * zod-to-openapi writes a nullable reference (`FlagStateSchema.nullable()`) as
 * `allOf: [{ $ref }, { type: ['object', 'null'] }]`, which no null satisfies (the
 * referenced schema is an object) and which generated clients read as "an object
 * and null"; this writes it as what it means, `anyOf: [{ $ref }, { type: 'null' }]`.
 */
function nullableRefsAsAnyOf<T>(node: T): T {
  if (Array.isArray(node)) return node.map(nullableRefsAsAnyOf) as T;
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).map(([key, value]) => [key, nullableRefsAsAnyOf(value)] as const);
  const object = Object.fromEntries(entries) as Record<string, unknown>;
  const allOf = object.allOf;
  if (Array.isArray(allOf) && allOf.length === 2 && isNullableObjectType(allOf[1]) && typeof allOf[0]?.$ref === 'string') {
    delete object.allOf;
    object.anyOf = [allOf[0], { type: 'null' }];
  }
  return object as T;
}

function isNullableObjectType(schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object') return false;
  const { type, ...rest } = schema as { type?: unknown };
  return Object.keys(rest).length === 0 && Array.isArray(type) && type.length === 2 && type.includes('object') && type.includes('null');
}
