import type { ErrorReporter } from '../../../shared/error-classifier.js';
import type { Request, Response, Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Registry } from 'prom-client';
import { z, type ZodType } from 'zod';
import { ErrorResponseSchema } from '../../../shared/schemas/common.js';
import type { Token, TokenKind } from '../../../shared/schemas/tokens.js';
import { ValidationError } from '../../../shared/errors.js';
import type { Authenticator } from './auth.js';
import { readJsonBody } from './json-body.js';
import type { LeanHandler, LeanPath } from './lean-path.js';
import type { PreparedJson } from './prepared-json.js';
import { findUnsafeInput } from './unsafe-input.js';

/** What a handler answers; a handler that wrote the response itself (a stream) returns nothing. */
export interface Reply {
  status?: number;
  body?: unknown;
  /** The body as JSON already (a route that serialises its answer itself, once for both paths); instead of `body`. */
  json?: PreparedJson;
  headers?: Record<string, string>;
}

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The caller's token; present on every route whose auth is not 'public'. */
  token: Token;
  req: Request;
  res: Response;
}

interface ResponseSpec {
  description: string;
  schema?: ZodType;
  headers?: Record<string, string>;
}

export interface RouteSpec<P, Q, B> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI form: `/v1/flags/{key}`. */
  path: string;
  /** One line: what the operation does. */
  summary: string;
  /** What a reader needs beyond the summary: rules, side effects, what each answer means (required: the OpenAPI test checks it). */
  description: string;
  tags: string[];
  /** The token kind(s) the route takes; each becomes the OpenAPI security scheme of that name. */
  auth: TokenKind | readonly TokenKind[] | 'public';
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** A request body that works pasted as is; checked against `body` when the route is declared. Required with a body. */
  example?: unknown;
  /** The largest body this route takes when larger than BODY_LIMIT (body-parser's syntax: '10mb'). */
  bodyLimit?: string;
  /** False when the body may be left out (the route then also reads its query); true by default. */
  bodyRequired?: boolean;
  /** Request headers the route reads (documented only). */
  headers?: z.ZodObject;
  responses: Record<number, ResponseSpec>;
  handle: (context: RouteContext<P, Q, B>) => Promise<Reply | void>;
  /**
   * The route's common case, answered before Express (http/lean-path.ts): for the
   * SDK routes apps call at volume. Whatever it returns undefined for, and every
   * request it does not take (errors included), `handle` answers. Only on
   * authenticated routes without path parameters, GET or POST.
   */
  lean?: LeanHandler<Q, B>;
}

/** Routes register themselves in Express and in the OpenAPI document from the same zod schemas. */
export interface RouteTable {
  router: Router;
  registry: OpenAPIRegistry;
  authenticate: Authenticator;
  /** The process's Prometheus registry, for routes that report gauges of their own. */
  metrics: Registry;
  /** Where routes with a `lean` handler are also registered. */
  lean: LeanPath;
  /** The one error classifier with this process's logger and dependency error counter; each protocol formats what it says. */
  reportError: ErrorReporter;
}

/** A route that declares no query parameters takes none: an unknown one is a 400, like an unknown body field. */
const NO_QUERY = z.strictObject({});

/** Validates one part of a request as every route does, throwing the 400 that names each offending field. */
export function parseInput<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const unsafe = findUnsafeInput(value);
  if (unsafe) {
    throw new ValidationError(`invalid ${where}: ${[where, ...unsafe.path].join('.')}: ${unsafe.message}`, [
      { in: where, ...unsafe },
    ]);
  }
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    in: where,
    path: issue.path.map(String),
    message: issue.message,
  }));
  const summary = details
    .map((detail) => `${[where, ...detail.path].join('.')}: ${detail.message}`)
    .join('; ');
  throw new ValidationError(`invalid ${where}: ${summary}`, details);
}

const ERROR_RESPONSES: Record<number, string> = {
  400: 'Invalid input; `details` lists each offending field',
  401: 'No token, or an unknown or revoked one',
  403: 'A token of the wrong kind or environment',
};

/**
 * What each token kind is, as the OpenAPI security schemes say it. A new kind
 * in TokenKindSchema does not type-check until it is described here.
 */
export const TOKEN_KIND_SCHEMES: Record<TokenKind, string> = {
  admin: 'An admin token: manages flags, environments, ramps, tokens and reads the audit log. `Authorization: Bearer <secret>`.',
  sdk: "An sdk token, bound to one environment: server-side SDKs read that environment's flag definitions and evaluate. `Authorization: Bearer <secret>` (under /api/, Unleash's APIs, the bare secret too).",
  frontend:
    "A frontend token, bound to one environment, for code on users' devices: evaluated answers only (Unleash's frontend API, OFREP), never a definition. `Authorization: Bearer <secret>` (under /api/, the bare secret too).",
};

/** Registers one bearer security scheme per token kind, named after the kind, so each route can say which it takes. */
export function registerSecuritySchemes(registry: OpenAPIRegistry): void {
  for (const [kind, description] of Object.entries(TOKEN_KIND_SCHEMES)) {
    registry.registerComponent('securitySchemes', kind, { type: 'http', scheme: 'bearer', description });
  }
}

function acceptedKinds(auth: RouteSpec<unknown, unknown, unknown>['auth']): readonly TokenKind[] {
  if (auth === 'public') return [];
  return typeof auth === 'string' ? [auth] : auth;
}

/** Refuses, when the route is declared, a spec the OpenAPI document could not describe fully. */
function checkSpec(spec: RouteSpec<unknown, unknown, unknown>): void {
  const route = `${spec.method.toUpperCase()} ${spec.path}`;
  if (!spec.description.trim()) throw new Error(`route ${route}: give it a description`);
  if (spec.body && spec.example === undefined) throw new Error(`route ${route}: give its request body an example`);
  if (spec.body) {
    const checked = spec.body.safeParse(spec.example);
    if (!checked.success) throw new Error(`route ${route}: its body example does not validate: ${checked.error.message}`);
  }
  if (spec.lean && (spec.path.includes('{') || (spec.method !== 'get' && spec.method !== 'post') || spec.auth === 'public')) {
    throw new Error(`route ${route}: a lean handler serves authenticated GET or POST on a path without parameters`);
  }
}

export function addRoute<P = undefined, Q = undefined, B = undefined>(
  table: RouteTable,
  spec: RouteSpec<P, Q, B>,
): void {
  checkSpec(spec as RouteSpec<unknown, unknown, unknown>);
  const kinds = acceptedKinds(spec.auth);
  const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
  const guard = kinds.length === 0 ? undefined : table.authenticate(kinds);
  const querySchema = spec.query ?? (NO_QUERY as unknown as ZodType<Q>);
  if (spec.lean) {
    const bodySchema = spec.body;
    table.lean.add({
      method: spec.method === 'get' ? 'GET' : 'POST',
      path: spec.path,
      kinds,
      parseQuery: (query) => parseInput(querySchema, query, 'query'),
      body: bodySchema && { parse: (body) => parseInput(bodySchema, body, 'body'), limit: spec.bodyLimit },
      handle: spec.lean as LeanHandler<unknown, unknown>,
    });
  }
  table.router[spec.method](expressPath, async (req: Request, res: Response) => {
    const token = guard ? await guard(req) : (undefined as unknown as Token);
    // Only now, authenticated, is the body read (http/json-body.ts says why).
    if (spec.body) await readJsonBody(req, res, spec.bodyLimit);
    const context: RouteContext<P, Q, B> = {
      params: parseInput(spec.params, req.params, 'params'),
      query: parseInput(querySchema, req.query, 'query'),
      body: parseInput(spec.body, req.body, 'body'),
      token,
      req,
      res,
    };
    const reply = await spec.handle(context);
    if (!reply) return;
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    res.status(reply.status ?? 200);
    if (reply.json !== undefined) res.type('application/json; charset=utf-8').send(reply.json.text);
    else if (reply.body === undefined) res.end();
    else res.json(reply.body);
  });

  const errorContent = { 'application/json': { schema: ErrorResponseSchema } };
  const errors = Object.fromEntries(
    Object.entries(ERROR_RESPONSES)
      .filter(([status]) => kinds.length > 0 || status === '400')
      .map(([status, description]) => [status, { description, content: errorContent }]),
  );
  table.registry.registerPath({
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    description: spec.description,
    tags: spec.tags,
    security: kinds.map((kind) => ({ [kind]: [] })),
    request: {
      params: spec.params as z.ZodObject | undefined,
      query: spec.query as z.ZodObject | undefined,
      headers: spec.headers,
      body: spec.body
        ? { content: { 'application/json': { schema: spec.body, example: spec.example } }, required: spec.bodyRequired ?? true }
        : undefined,
    },
    responses: {
      ...errors,
      ...Object.fromEntries(
        Object.entries(spec.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            headers: response.headers
              ? Object.fromEntries(
                  Object.entries(response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' as const } }]),
                )
              : undefined,
            // A 4xx without a schema of its own answers FlagShip's error body.
            content: response.schema
              ? { 'application/json': { schema: response.schema } }
              : Number(status) >= 400 && Number(status) < 500 ? errorContent : undefined,
          },
        ]),
      ),
    },
  });
}
