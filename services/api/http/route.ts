import type { ErrorReporter } from '../../../shared/error-classifier.js';
import type { Request, Response, Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Registry } from 'prom-client';
import { z, type ZodType } from 'zod';
import { ErrorResponseSchema } from '../../../shared/schemas/common.js';
import type { Token, TokenKind } from '../../../shared/schemas/tokens.js';
import { hasRole, projectsWithRole, requireRole, type Principal, type Role } from '../../../shared/domain/people/principal.js';
import { EVERY_PROJECT } from '../../../shared/domain/projects/project-scope.js';
import { SESSION_COOKIE } from '../../../shared/domain/people/session-service.js';
import { ForbiddenError, ValidationError } from '../../../shared/errors.js';
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

/** What a route's `auth` may say: the token kinds it takes, or 'public'. */
export type RouteAuth = TokenKind | readonly TokenKind[] | 'public';

type KindsOf<A> = A extends readonly (infer K)[] ? K : A;

/**
 * Who asks, as each route's handler sees it. Routes that take admin tokens
 * take people too (personal tokens, session cookies): their handlers read
 * `principal` (a session presents no token). Routes of other kinds only read
 * `token`. A route taking admin and other kinds sees either.
 */
export type CallerContext<A> = 'admin' extends KindsOf<A>
  ? [Exclude<KindsOf<A>, 'admin'>] extends [never]
    ? { principal: Principal; token?: Token; credentialId: string }
    : { principal?: Principal; token?: Token; credentialId: string }
  : A extends 'public'
    ? { token?: undefined; principal?: undefined; credentialId?: undefined }
    : { token: Token; principal?: undefined; credentialId: string };

export type RouteContext<P, Q, B, A = RouteAuth> = {
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
  /**
   * On a route with `projects`: the projects the caller may act on here, with
   * the route's role (`['*']`: every project). For a request naming projects,
   * those; for a list across projects, the caller's projects, which the
   * handler shows and nothing else. `['*']` on other routes, for callers
   * without roles (tokens of other kinds), and where the projects are a
   * ProjectLookup and the caller holds the role on every project (nothing is
   * looked up: such a handler must not read `projects`).
   */
  projects: readonly string[];
} & CallerContext<A>;

/**
 * What a route with a project-scoped role says a request touches: a project
 * key, several (a batch, a move), or LISTED_PROJECTS for a list across
 * projects (the handler narrows it to `context.projects`).
 */
export type ProjectsTouched = string | readonly string[] | typeof LISTED_PROJECTS | ProjectLookup;

/**
 * Projects found by asking PostgreSQL (the flag's, the segment's, a change
 * request's: http/project-access.ts), asked only when the answer can matter.
 * A caller with the route's role on every project (an admin token, a grant on
 * '*') passes the check whatever the projects are, so the lookup is skipped:
 * it was a round trip of its own on every PATCH of a flag state (the write
 * bench's 8 admins lost about a fifth of their changes per second to it).
 */
export class ProjectLookup {
  constructor(readonly lookUp: () => Promise<readonly string[]>) {}
}

/** A list across projects: the caller needs the route's role on some project, and sees those. */
export const LISTED_PROJECTS = Symbol('listed projects');

interface ResponseSpec {
  description: string;
  schema?: ZodType;
  headers?: Record<string, string>;
}

export interface RouteSpec<P, Q, B, A extends RouteAuth = RouteAuth> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI form: `/v1/flags/{key}`. */
  path: string;
  /** One line: what the operation does. */
  summary: string;
  /** What a reader needs beyond the summary: rules, side effects, what each answer means (required: the OpenAPI test checks it). */
  description: string;
  tags: string[];
  /**
   * The token kind(s) the route takes; each becomes the OpenAPI security scheme
   * of that name. 'admin' also takes personal tokens and session cookies.
   */
  auth: A;
  /**
   * Required on routes that take admin tokens: the least role the caller needs
   * (on every project: shared/domain/people/principal.ts). 'signed-in': anyone
   * who authenticates (GET /v1/me); 'person': a user, not an admin token (personal tokens).
   */
  role?: Role | 'signed-in' | 'person';
  /**
   * Makes `role` a role on projects rather than on every project: how to find
   * the projects a request touches (the flag's of a path parameter, a body
   * field, a query parameter: the helpers of http/project-access.ts), from its
   * validated input. The caller needs the role on each; a list across projects
   * (LISTED_PROJECTS) needs it on some and shows only those (`context.projects`).
   * Unknown things (a flag that does not exist) are the handler's 404: the
   * function returns no project for them.
   */
  projects?: (input: { params: P; query: Q; body: B }) => Promise<ProjectsTouched> | ProjectsTouched;
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
  handle: (context: RouteContext<P, Q, B, A>) => Promise<Reply | void>;
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
  403: 'A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed`',
};

/**
 * What each token kind is, as the OpenAPI security schemes say it. A new kind
 * in TokenKindSchema does not type-check until it is described here.
 */
export const TOKEN_KIND_SCHEMES: Record<TokenKind, string> = {
  admin: 'An admin token: manages flags, environments, ramps, tokens and reads the audit log. `Authorization: Bearer <secret>`.',
  sdk: "An sdk token, bound to one environment: server-side SDKs read that environment's flag definitions and evaluate. `Authorization: Bearer <secret>` (under /api/, Unleash's APIs, the bare secret too).",
  personal:
    "A person's own token (POST /v1/me/tokens): acts as that user, with the user's roles, wherever admin tokens are taken. `Authorization: Bearer <secret>`.",
  frontend:
    "A frontend token, bound to one environment, for code on users' devices: evaluated answers only (Unleash's frontend API, OFREP), never a definition. `Authorization: Bearer <secret>` (under /api/, the bare secret too).",
};

/** What routes that take admin tokens take as well: personal tokens, and the session cookie of a signed-in person. */
const PEOPLE_SCHEMES = ['personal', 'session'] as const;

/** Registers one bearer security scheme per token kind, named after the kind, and the session cookie, so each route can say which it takes. */
export function registerSecuritySchemes(registry: OpenAPIRegistry): void {
  for (const [kind, description] of Object.entries(TOKEN_KIND_SCHEMES)) {
    registry.registerComponent('securitySchemes', kind, { type: 'http', scheme: 'bearer', description });
  }
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      'A signed-in person (POST /auth/login or single sign-on), with their roles. Every POST, PUT, PATCH and DELETE also needs ' +
      '`X-FlagShip-CSRF: <csrfToken from GET /v1/me>` (or an Origin equal to FLAGSHIP_PUBLIC_URL), else 403 `csrf_failed`.',
  });
}

function acceptedKinds(auth: RouteSpec<unknown, unknown, unknown, RouteAuth>['auth']): readonly TokenKind[] {
  if (auth === 'public') return [];
  return typeof auth === 'string' ? [auth] : auth;
}

/** Refuses, when the route is declared, a spec the OpenAPI document could not describe fully. */
function checkSpec(spec: RouteSpec<unknown, unknown, unknown, RouteAuth>): void {
  const route = `${spec.method.toUpperCase()} ${spec.path}`;
  if (!spec.description.trim()) throw new Error(`route ${route}: give it a description`);
  if (spec.body && spec.example === undefined) throw new Error(`route ${route}: give its request body an example`);
  if (spec.body) {
    const checked = spec.body.safeParse(spec.example);
    if (!checked.success) throw new Error(`route ${route}: its body example does not validate: ${checked.error.message}`);
  }
  const takesAdmin = acceptedKinds(spec.auth).includes('admin');
  if (takesAdmin && spec.role === undefined) throw new Error(`route ${route}: say the least role it needs (role)`);
  if (!takesAdmin && spec.role !== undefined) throw new Error(`route ${route}: only routes that take admin tokens have a role`);
  if (spec.projects && (spec.role === undefined || spec.role === 'signed-in' || spec.role === 'person')) {
    throw new Error(`route ${route}: projects scope a role (viewer, editor or admin)`);
  }
  if (spec.lean && (spec.path.includes('{') || (spec.method !== 'get' && spec.method !== 'post') || spec.auth === 'public')) {
    throw new Error(`route ${route}: a lean handler serves authenticated GET or POST on a path without parameters`);
  }
}

/**
 * Refuses (403) a principal that lacks the route's role, before its body is
 * read: on every project, or, where the role is a project's, on some project
 * (which ones the request touches is known once its input is parsed: checkProjectRole).
 */
function checkRole(principal: Principal, role: RouteSpec<unknown, unknown, unknown, RouteAuth>['role'], projectScoped: boolean): void {
  if (role === undefined || role === 'signed-in') return;
  if (role === 'person') {
    if (principal.kind !== 'user') throw new ForbiddenError('this is for people (a session or a personal token), not an admin token');
    return;
  }
  if (!projectScoped) return requireRole(principal, role);
  if (projectsWithRole(principal, role).length === 0) throw new ForbiddenError(`this needs the ${role} role on a project`);
}

/** The role on each project the request touches; answers the projects the handler may show or act on. */
async function checkProjectRole(principal: Principal, role: Role, touched: ProjectsTouched): Promise<readonly string[]> {
  if (touched === LISTED_PROJECTS) return projectsWithRole(principal, role);
  if (touched instanceof ProjectLookup) {
    // A grant on every project (an admin token): no project can fail the check.
    if (hasRole(principal, role)) return EVERY_PROJECT;
    touched = await touched.lookUp();
  }
  const projects = typeof touched === 'string' ? [touched] : [...new Set(touched)];
  for (const project of projects) requireRole(principal, role, project);
  return projects;
}

/** What the OpenAPI description adds about who may call a route. */
function roleSentence(role: RouteSpec<unknown, unknown, unknown, RouteAuth>['role'], projectScoped: boolean): string {
  if (role === undefined) return '';
  if (role === 'signed-in') return '\n\nAnyone signed in (or any admin token).';
  if (role === 'person') return '\n\nPeople only: a session or a personal token, not an admin token.';
  if (projectScoped) {
    return `\n\nA person needs the ${role} role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.`;
  }
  return `\n\nA person needs the ${role} role on every project ('*'); admin tokens have every role.`;
}

export function addRoute<P = undefined, Q = undefined, B = undefined, const A extends RouteAuth = RouteAuth>(
  table: RouteTable,
  spec: RouteSpec<P, Q, B, A>,
): void {
  checkSpec(spec as unknown as RouteSpec<unknown, unknown, unknown, RouteAuth>);
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
    const caller = guard ? await guard(req) : undefined;
    if (caller?.principal) checkRole(caller.principal, spec.role, spec.projects !== undefined);
    // Only now, authenticated, is the body read (http/json-body.ts says why).
    if (spec.body) await readJsonBody(req, res, spec.bodyLimit);
    const input = {
      params: parseInput(spec.params, req.params, 'params'),
      query: parseInput(querySchema, req.query, 'query'),
      body: parseInput(spec.body, req.body, 'body'),
    };
    const projects =
      spec.projects && caller?.principal ? await checkProjectRole(caller.principal, spec.role as Role, await spec.projects(input)) : EVERY_PROJECT;
    const context = {
      ...input,
      projects,
      token: caller?.token,
      principal: caller?.principal,
      credentialId: caller?.credentialId,
      req,
      res,
    } as unknown as RouteContext<P, Q, B, A>;
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
    description: `${spec.description}${roleSentence(spec.role, spec.projects !== undefined)}`,
    tags: spec.tags,
    security: [...kinds, ...(kinds.includes('admin') ? PEOPLE_SCHEMES : [])].map((kind) => ({ [kind]: [] })),
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
