import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import querystring from 'node:querystring';
import type { Logger } from '../../../shared/logger.js';
import type { Token, TokenKind } from '../../../shared/schemas/tokens.js';
import { findPresentedToken, handOnTokenLookup, kindAccepted, secretOf } from './auth.js';
import type { CorsHeaders } from './cors.js';
import { readNodeJsonBody } from './json-body.js';
import type { HttpMetrics } from './metrics.js';
import { preparedJson, type PreparedJson } from './prepared-json.js';
import type { TokenLookup } from '../../../shared/domain/tokens/token-cache.js';

/** What a lean handler answers: the route's own headers, and the JSON (none for a 304). */
export interface LeanReply {
  status: number;
  /** Flat `[name, value, …]` pairs, usually precomputed per snapshot; the lean path adds the security and CORS headers. */
  headers: readonly string[];
  /** JSON text: prepared once (its length known) for a body sent many times. */
  body?: PreparedJson | string;
}

/** A request the lean path authenticated and validated, as the route's Express handler would have. */
export interface LeanRequest<Q, B> {
  query: Q;
  body: B;
  token: Token;
  req: IncomingMessage;
}

/**
 * Answers a route's common case before Express, or returns undefined to hand
 * the request to the route's Express handler, which answers everything else.
 */
export type LeanHandler<Q, B> = (request: LeanRequest<Q, B>) => Promise<LeanReply | undefined>;

/** One route as the lean path serves it (route.ts derives it from the route's declaration). */
export interface LeanRoute {
  method: 'GET' | 'POST';
  path: string;
  kinds: readonly TokenKind[];
  /** The route's query validation; throws on what the route refuses. */
  parseQuery: (query: unknown) => unknown;
  /** The route's body validation and limit, when it takes a body. */
  body?: { parse: (body: unknown) => unknown; limit?: string };
  handle: LeanHandler<unknown, unknown>;
}

export interface LeanPathOptions {
  tokens: TokenLookup;
  metrics: HttpMetrics;
  /** What the Express app's security middleware sets on every response (security-headers.ts). */
  securityHeaders: readonly string[];
  /** Paths (and everything under them) that answer CORS, and the headers they add. */
  cors: { paths: readonly string[]; headers: CorsHeaders };
  logger: Logger;
}

export interface LeanPath {
  add(route: LeanRoute): void;
  /** The node:http request listener: lean routes first, everything else (and every uncommon case) to `app`. */
  listener(app: RequestListener): RequestListener;
}

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

interface ServedRoute extends LeanRoute {
  underApi: boolean;
  cors: boolean;
  /** What parseQuery makes of no query at all (what SDKs send), worked out once. */
  noQuery?: { value: unknown } | { error: unknown };
}

/**
 * The SDK read and evaluation routes, served straight from node:http: the
 * bench measured Express's router, middleware chain and response helpers as
 * most of their cost. It serves only the common case, exactly as the route's
 * Express handler would (same token check, validation, headers, metrics);
 * whatever it does not answer (no or a bad token, a refused query or body,
 * a preflight, HEAD, a path Express would match loosely, a dependency
 * failure) goes on to Express, which answers it as before, so every error
 * keeps its one implementation. What the lean path already did goes along
 * with the request, never done twice: the token lookup (auth.ts) and the body
 * read (json-body.ts).
 */
export function createLeanPath(options: LeanPathOptions): LeanPath {
  const { tokens, metrics, securityHeaders, cors, logger } = options;
  const routes = new Map<string, ServedRoute>();

  const underCors = (path: string) => cors.paths.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

  const send = (req: IncomingMessage, res: ServerResponse, route: ServedRoute, reply: LeanReply) => {
    const headers = route.cors
      ? securityHeaders.concat(cors.headers(req.headers.origin), reply.headers)
      : securityHeaders.concat(reply.headers);
    const body = typeof reply.body === 'string' ? preparedJson(reply.body) : reply.body;
    if (body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    headers.push('Content-Type', JSON_CONTENT_TYPE, 'Content-Length', String(body.bytes));
    res.writeHead(reply.status, headers);
    // A string, so that the head and the body go out in one write (prepared-json.ts).
    res.end(body.text);
  };

  const parsedNoQuery = (route: ServedRoute) => {
    if (!route.noQuery) {
      try {
        route.noQuery = { value: Object.freeze(route.parseQuery({})) };
      } catch (error) {
        route.noQuery = { error };
      }
    }
    if ('error' in route.noQuery) throw route.noQuery.error;
    return route.noQuery.value;
  };

  /** The route's answer, or undefined when Express must answer; `lookup` keeps the token lookup for Express. */
  const answer = async (
    req: IncomingMessage,
    res: ServerResponse,
    route: ServedRoute,
    search: string | undefined,
    lookup: { secret?: string; token?: Promise<Token | undefined> },
  ) => {
    const secret = secretOf(req.headers.authorization, route.underApi);
    if (secret === undefined) return undefined;
    lookup.secret = secret;
    lookup.token = findPresentedToken(tokens, secret, route.underApi);
    const token = await lookup.token;
    if (!token || !kindAccepted(route.kinds, token)) return undefined;
    const query = search === undefined ? parsedNoQuery(route) : route.parseQuery(querystring.parse(search));
    let body: unknown;
    if (route.body) {
      const type = req.headers['content-type'];
      if (type === undefined || !JSON_TYPE.test(type)) return undefined;
      await readNodeJsonBody(req, res, route.body.limit);
      body = route.body.parse((req as IncomingMessage & { body?: unknown }).body);
    }
    return route.handle({ query, body, token, req });
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, route: ServedRoute, search: string | undefined, app: RequestListener) => {
    const counted = metrics.startTimer();
    let reply: LeanReply | undefined;
    const lookup: { secret?: string; token?: Promise<Token | undefined> } = {};
    try {
      reply = await answer(req, res, route, search, lookup);
    } catch {
      // A refused input or a dependency failure: the Express route answers it in its own shape.
      reply = undefined;
    }
    if (!reply) {
      if (lookup.secret !== undefined && lookup.token) handOnTokenLookup(req, lookup.secret, lookup.token);
      app(req, res);
      return;
    }
    send(req, res, route, reply);
    counted(route.method, route.path, reply.status);
  };

  return {
    add(route) {
      routes.set(`${route.method} ${route.path}`, { ...route, underApi: route.path.startsWith('/api/'), cors: underCors(route.path) });
    },
    listener(app) {
      return (req, res) => {
        const url = req.url ?? '/';
        const queryAt = url.indexOf('?');
        const path = queryAt === -1 ? url : url.slice(0, queryAt);
        const route = routes.get(`${req.method} ${path}`);
        if (!route) {
          app(req, res);
          return;
        }
        serve(req, res, route, queryAt === -1 ? undefined : url.slice(queryAt + 1), app).catch((error: unknown) => {
          // Only writing the answer can fail here (everything before it falls back to Express).
          logger.error({ err: error, method: req.method, path }, 'lean path: could not send the answer');
          res.destroy();
        });
      };
    },
  };
}
