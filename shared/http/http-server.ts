import http from 'node:http';

/**
 * How long a client may take over each part of a request, so a slow one
 * cannot hold a connection. Every HTTP server of ours (the API, the
 * notifier's port, the worker's health port) is made by createHttpServer with
 * these, so none keeps a slow client longer than another.
 */
export interface HttpTimeouts {
  /** Until the request's headers are in. Default 10 s. */
  headersMs?: number;
  /** Until the whole request, body included, is in (responses, event streams among them, are not bounded). Default 30 s. */
  requestMs?: number;
  /** How long an idle keep-alive connection stays open. Default 5 s. */
  keepAliveMs?: number;
}

export const DEFAULT_HTTP_TIMEOUTS: Readonly<Required<HttpTimeouts>> = Object.freeze({
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5000,
});

/** An http.Server bounded by `timeouts` (the defaults where not given); the one place a server of ours is created. */
export function createHttpServer(listener: http.RequestListener, timeouts: HttpTimeouts = {}): http.Server {
  const { headersMs, requestMs, keepAliveMs } = { ...DEFAULT_HTTP_TIMEOUTS, ...timeouts };
  const server = http.createServer(
    {
      headersTimeout: headersMs,
      requestTimeout: requestMs,
      // Node checks the two limits above on this interval (30 s by default,
      // which would let a client overstay a 10 s limit by up to 30 s).
      connectionsCheckingInterval: Math.min(1000, headersMs, requestMs),
    },
    listener,
  );
  server.keepAliveTimeout = keepAliveMs;
  return server;
}
