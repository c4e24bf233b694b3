import { snapshotOfToken } from '../snapshots/token-snapshot.js';
import { NotFoundError } from '../../../shared/errors.js';
import {
  UnleashFeatureParamsSchema,
  UnleashFrontendQuerySchema,
  UnleashFrontendRequestSchema,
  UnleashFrontendResponseSchema,
  UnleashToggleSchema,
} from '../../../shared/schemas/unleash.js';
import { UnleashMetricsSchema, UnleashRegisterSchema } from '../../../shared/schemas/usage.js';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { EvaluationContext } from '../../../packages/evaluation/index.js';
import type { Token } from '../../../shared/schemas/tokens.js';
import type { AnswerCache } from '../snapshots/answer-cache.js';
import type { ApiDeps } from '../deps.js';
import { etagMatches } from '../http/etag.js';
import { addRoute, type RouteTable } from '../http/route.js';
import type { LeanReply } from '../http/lean-path.js';
import { sdkEnvironment } from '../client/sdk-environment.js';
import { contextFromQuery, frontendToggle, frontendTogglesAnswer, withRemoteAddress } from './frontend-answers.js';
import { reportMetrics } from '../usage/report-metrics.js';
import type { ReportLimiter } from '../usage/report-limits.js';

const TOGGLES_RESPONSES = {
  200: {
    description: 'The flags that are on for the context, with their variants',
    schema: UnleashFrontendResponseSchema,
    headers: { ETag: 'A digest of the answer: changes only when it does' },
  },
  304: { description: 'If-None-Match names the current ETag' },
  503: { description: 'Neither the cache nor PostgreSQL answered' },
};

const IF_NONE_MATCH = z.object({ 'if-none-match': z.string().optional().meta({ description: 'The ETag of the last answer' }) });

/**
 * Unleash's frontend API, for unleash-proxy-client in browsers and apps
 * (frontend tokens): evaluated answers only, never a definition.
 */
export function addUnleashFrontendRoutes(table: RouteTable, { usage, snapshots, answers, reportLimiter }: ApiDeps & { answers: AnswerCache; reportLimiter: ReportLimiter }): void {
  /** Every toggle that is on for the context (kept, or computed), counted as usage. */
  const togglesFor = async (token: Token, context: EvaluationContext, ifNoneMatch: string | undefined) => {
    const snapshot = await snapshotOfToken(snapshots, token);
    const { json, etag, tally } = answers.answer('frontend', snapshot, JSON.stringify(context), () => frontendTogglesAnswer(snapshot, context));
    tally.countInto(usage, snapshot.environment);
    return { json, etag: etag!, notModified: etagMatches(ifNoneMatch, etag!) };
  };
  const answer = ({ json, etag, notModified }: Awaited<ReturnType<typeof togglesFor>>) => {
    const headers = { ETag: etag, 'Cache-Control': 'no-cache' };
    return notModified ? { status: 304, headers } : { json, headers };
  };
  const leanAnswer = ({ json, etag, notModified }: Awaited<ReturnType<typeof togglesFor>>): LeanReply => {
    const headers = ['ETag', etag, 'Cache-Control', 'no-cache'];
    return notModified ? { status: 304, headers } : { status: 200, headers, body: json };
  };
  // The caller's address, as Express's req.ip gives it without a trusted proxy (the app trusts none).
  const queryContext = (query: unknown, req: IncomingMessage) =>
    withRemoteAddress(contextFromQuery(query as Record<string, string>), req.socket.remoteAddress);

  addRoute(table, {
    method: 'get',
    path: '/api/frontend',
    summary: "Unleash frontend API: the flags that are on for a context (in the query), in the frontend token's environment",
    description:
      "What unleash-proxy-client fetches: the context is the query (`userId`, `sessionId`, `remoteAddress`, `appName`, `environment`, `currentTime`, `properties[name]=value`; any other parameter is a property too; `remoteAddress` defaults to the caller's address). Answers `{ toggles }` with the enabled flags only, each with its variant; never a definition. ETag/304. Each evaluation counts as the flag's usage.",
    tags: ['unleash'],
    auth: 'frontend',
    query: UnleashFrontendQuerySchema,
    headers: IF_NONE_MATCH,
    responses: TOGGLES_RESPONSES,
    handle: async ({ token, query, req }) => answer(await togglesFor(token, queryContext(query, req), req.headers['if-none-match'])),
    lean: async ({ token, query, req }) => leanAnswer(await togglesFor(token, queryContext(query, req), req.headers['if-none-match'])),
  });

  addRoute(table, {
    method: 'post',
    path: '/api/frontend',
    summary: "Unleash frontend API: the flags that are on for a context (in the body)",
    description:
      "As GET /api/frontend, with the context as `{ context: { userId, sessionId, properties: { … } } }` (unleash-proxy-client with `usePOSTrequests: true`).",
    tags: ['unleash'],
    auth: 'frontend',
    body: UnleashFrontendRequestSchema,
    example: { context: { userId: 'user-42', sessionId: '81262', properties: { plan: 'pro' } } },
    headers: IF_NONE_MATCH,
    responses: TOGGLES_RESPONSES,
    handle: async ({ token, body, req }) =>
      answer(await togglesFor(token, withRemoteAddress(body.context ?? {}, req.socket.remoteAddress), req.headers['if-none-match'])),
    lean: async ({ token, body, req }) =>
      leanAnswer(await togglesFor(token, withRemoteAddress(body.context ?? {}, req.socket.remoteAddress), req.headers['if-none-match'])),
  });

  addRoute(table, {
    method: 'get',
    path: '/api/frontend/features/{name}',
    summary: 'Unleash frontend API: one flag, when it is on for the context (in the query)',
    description: 'The toggle as one element of GET /api/frontend; 404 when the flag is off for this context or does not exist (as Unleash answers).',
    tags: ['unleash'],
    auth: 'frontend',
    params: UnleashFeatureParamsSchema,
    query: UnleashFrontendQuerySchema,
    responses: {
      200: { description: 'The toggle', schema: UnleashToggleSchema },
      404: { description: 'Off for this context, or no such flag' },
    },
    handle: async ({ token, params, query, req }) => {
      const snapshot = await snapshotOfToken(snapshots, token);
      const context = withRemoteAddress(contextFromQuery(query as Record<string, string>), req.ip);
      const toggle = frontendToggle(snapshot, context, usage, params.name);
      if (!toggle) throw new NotFoundError(`flag '${params.name}' is not enabled for this context`);
      return { body: toggle };
    },
  });
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
      "The same body as POST /api/client/metrics, from unleash-proxy-client with a frontend token; counted in the token's environment. A frontend token's secret is public, so each count is at most 10,000 per report (400 naming it), and a token may send 6,000 reports a minute to one API process (429 with Retry-After beyond).",
    tags: ['unleash'],
    auth: 'frontend',
    body: UnleashMetricsSchema,
    example: UnleashMetricsSchema.meta()?.example,
    responses: {
      202: { description: "Accepted: counted per flag and hour in the token's environment" },
      429: { description: "The token sent its reports of this minute; Retry-After says when to send again" },
      503: { description: 'Usage could not be stored just now' },
    },
    handle: async ({ body, token }) => reportMetrics(usage, reportLimiter, token, body, snapshots),
  });
}
