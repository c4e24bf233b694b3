import type { RequestHandler } from 'express';

/** Response headers browser code may read: the ETag for If-None-Match. */
const EXPOSED_HEADERS = 'ETag';
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** What OpenFeature web providers and unleash-proxy-client send. */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'if-none-match',
  'last-event-id',
  'unleash-appname',
  'unleash-sdk',
  'unleash-connection-id',
  'unleash-instanceid',
].join(', ');

/**
 * CORS for the routes browser code calls with a token of its own (OFREP, Unleash's
 * frontend API): `origins` is FLAGSHIP_CORS_ORIGINS, `*` for any. No credentials
 * travel (the token is a header), so `*` is safe to answer. A preflight from an
 * origin not listed is a 403 that says so; other requests from it get no CORS
 * headers, so the browser withholds the answer.
 */
export function corsForSdkRoutes(origins: '*' | readonly string[]): RequestHandler {
  const allowed = (origin: string) => origins === '*' || origins.includes(origin);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    res.vary('Origin');
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!allowed(origin)) {
      if (!preflight) return next();
      res.status(403).json({ error: { code: 'forbidden', message: `origin ${origin} is not in FLAGSHIP_CORS_ORIGINS` } });
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origins === '*' ? '*' : origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (!preflight) return next();
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}

/** The CORS headers of a request that is not a preflight, as flat `[name, value, …]` pairs. */
export type CorsHeaders = (origin: string | undefined) => readonly string[];

const NO_HEADERS: readonly string[] = [];
const VARY_ONLY: readonly string[] = ['Vary', 'Origin'];

/**
 * What corsForSdkRoutes adds to a request that is not a preflight, for the lean
 * path (lean-path.ts), which answers GET and POST only (preflights go to Express).
 */
export function sdkCorsHeaders(origins: '*' | readonly string[]): CorsHeaders {
  const any: readonly string[] = ['Vary', 'Origin', 'Access-Control-Allow-Origin', '*', 'Access-Control-Expose-Headers', EXPOSED_HEADERS];
  return (origin) => {
    if (origin === undefined) return NO_HEADERS;
    if (origins === '*') return any;
    if (!origins.includes(origin)) return VARY_ONLY;
    return ['Vary', 'Origin', 'Access-Control-Allow-Origin', origin, 'Access-Control-Expose-Headers', EXPOSED_HEADERS];
  };
}
