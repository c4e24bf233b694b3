import express, { type Express } from 'express';
import helmet from 'helmet';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { ApiDeps } from './deps.js';
import { createAuthenticator } from './http/auth.js';
import { errorHandler, notFound, requireJsonBody } from './http/errors.js';
import { createHttpMetrics } from './http/metrics.js';
import { uncachedTokenLookup } from './http/token-cache.js';
import { addRoute, type RouteTable } from './http/route.js';
import { parseOfrepJsonBody } from './ofrep/ofrep-errors.js';
import { addClientFlagRoutes } from './routes/client-flags.js';
import { addEnvironmentRoutes } from './routes/environments.js';
import { addEvaluateRoutes } from './routes/evaluate.js';
import { addEventRoutes } from './routes/events.js';
import { addFlagRoutes } from './routes/flags.js';
import { addFlagStateRoutes } from './routes/flag-states.js';
import { addOfrepRoutes } from './routes/ofrep.js';
import { addOperationRoutes } from './routes/operations.js';
import { addRolloutRoutes } from './routes/rollouts.js';
import { addTokenRoutes } from './routes/tokens.js';

export const BODY_LIMIT = '64kb';

/** Builds the HTTP API without listening, so tests can mount it on an ephemeral port. */
export function buildApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  const metrics = createHttpMetrics();
  app.use(metrics.middleware);
  app.use(helmet());
  app.use(requireJsonBody);
  app.use('/ofrep', parseOfrepJsonBody(BODY_LIMIT, deps.logger));
  app.use(express.json({ limit: BODY_LIMIT, strict: true }));

  const tokens = deps.tokens ?? uncachedTokenLookup(deps.pool);
  const table: RouteTable = {
    router: express.Router(),
    registry: new OpenAPIRegistry(),
    authenticate: createAuthenticator(tokens),
  };
  table.registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  addOperationRoutes(table, deps, metrics.registry);
  addEnvironmentRoutes(table, deps);
  addFlagRoutes(table, deps);
  addFlagStateRoutes(table, deps);
  addEventRoutes(table, deps);
  addTokenRoutes(table, { ...deps, tokens });
  addEvaluateRoutes(table, deps);
  addOfrepRoutes(table, deps);
  addRolloutRoutes(table, deps);
  addClientFlagRoutes(table, deps);

  // Generated on first request, once every route (this one included) has registered.
  let openApi: unknown;
  addRoute(table, {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document: OpenAPI 3.1, generated from the zod schemas the routes validate with',
    tags: ['operations'],
    auth: 'public',
    responses: { 200: { description: 'The OpenAPI document' } },
    handle: async () => {
      openApi ??= new OpenApiGeneratorV31(table.registry.definitions).generateDocument({
        openapi: '3.1.0',
        info: { title: 'FlagShip', version: '1.0.0', description: 'Feature flags with real-time push' },
      });
      return { body: openApi };
    },
  });

  app.use(table.router);
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
