import type { Request, Response, Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z, type ZodType } from 'zod';
import { ErrorResponseSchema } from '../../../shared/schemas/common.js';
import type { Token, TokenKind } from '../../../shared/schemas/tokens.js';
import { ValidationError } from '../../../shared/errors.js';
import type { Authenticator } from './auth.js';
import { findUnsafeInput } from './unsafe-input.js';

/** What a handler answers; a handler that wrote the response itself (a stream) returns nothing. */
export interface Reply {
  status?: number;
  body?: unknown;
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
  summary: string;
  tags: string[];
  auth: TokenKind | 'public';
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** Request headers the route reads (documented only). */
  headers?: z.ZodObject;
  responses: Record<number, ResponseSpec>;
  handle: (context: RouteContext<P, Q, B>) => Promise<Reply | void>;
}

/** Routes register themselves in Express and in the OpenAPI document from the same zod schemas. */
export interface RouteTable {
  router: Router;
  registry: OpenAPIRegistry;
  authenticate: Authenticator;
}

/** A route that declares no query parameters takes none: an unknown one is a 400, like an unknown body field. */
const NO_QUERY = z.strictObject({});

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
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

export function addRoute<P = undefined, Q = undefined, B = undefined>(
  table: RouteTable,
  spec: RouteSpec<P, Q, B>,
): void {
  const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
  const guard = spec.auth === 'public' ? undefined : table.authenticate(spec.auth);
  table.router[spec.method](expressPath, async (req: Request, res: Response) => {
    const token = guard ? await guard(req) : (undefined as unknown as Token);
    const context: RouteContext<P, Q, B> = {
      params: parse(spec.params, req.params, 'params'),
      query: parse(spec.query ?? (NO_QUERY as unknown as ZodType<Q>), req.query, 'query'),
      body: parse(spec.body, req.body, 'body'),
      token,
      req,
      res,
    };
    const reply = await spec.handle(context);
    if (!reply) return;
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    res.status(reply.status ?? 200);
    if (reply.body === undefined) res.end();
    else res.json(reply.body);
  });

  const errors = Object.fromEntries(
    Object.entries(ERROR_RESPONSES)
      .filter(([status]) => spec.auth !== 'public' || status === '400')
      .map(([status, description]) => [
        status,
        { description, content: { 'application/json': { schema: ErrorResponseSchema } } },
      ]),
  );
  table.registry.registerPath({
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    tags: spec.tags,
    security: spec.auth === 'public' ? [] : [{ bearer: [] }],
    request: {
      params: spec.params as z.ZodObject | undefined,
      query: spec.query as z.ZodObject | undefined,
      headers: spec.headers,
      body: spec.body ? { content: { 'application/json': { schema: spec.body } }, required: true } : undefined,
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
            content: response.schema ? { 'application/json': { schema: response.schema } } : undefined,
          },
        ]),
      ),
    },
  });
}
