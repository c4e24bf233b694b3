import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Closable } from '../lifecycle.js';
import type { Logger } from '../logger.js';
import { createHttpServer, type HttpTimeouts } from '../http/http-server.js';
import { RETRY_AFTER_SECONDS } from '../error-classifier.js';
import { checkReadiness, type ReadinessCheck } from '../readiness.js';
import { metricsScrapeAllowed } from './registry.js';

export interface OpsEndpoints {
  registry: Registry;
  /** What `/readyz` checks (shared/readiness.ts): the process's PostgreSQL, its LISTEN, its start. */
  readiness: readonly ReadinessCheck[];
  /** FLAGSHIP_METRICS_TOKEN: when set, /metrics needs it as a bearer token. */
  metricsToken: string | undefined;
}

const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Answers `GET /healthz`, `GET /readyz` and `GET /metrics` for a service that
 * has no HTTP API of its own (the notifier beside Socket.IO, the worker on its
 * own port), as the API answers them. Returns false for any other request,
 * which the caller answers.
 */
export function serveOpsRequest(req: http.IncomingMessage, res: http.ServerResponse, ops: OpsEndpoints): boolean {
  const path = (req.url ?? '').split('?')[0]!;
  if (req.method !== 'GET' || !OPS_PATHS.has(path)) return false;
  if (path === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
    return true;
  }
  if (path === '/readyz') {
    void checkReadiness(ops.readiness).then((readiness) => {
      const ready = readiness.status !== 'unavailable';
      res
        .writeHead(ready ? 200 : 503, { 'Content-Type': 'application/json', ...(ready ? {} : { 'Retry-After': RETRY_AFTER_SECONDS }) })
        .end(JSON.stringify(readiness));
    });
    return true;
  }
  if (!metricsScrapeAllowed(req.headers.authorization, ops.metricsToken)) {
    res
      .writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' })
      .end(JSON.stringify({ error: { code: 'unauthorized', message: 'send Authorization: Bearer <FLAGSHIP_METRICS_TOKEN>' } }));
    return true;
  }
  ops.registry.metrics().then(
    (text) => res.writeHead(200, { 'Content-Type': ops.registry.contentType }).end(text),
    (error: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`could not collect metrics: ${String(error)}`),
  );
  return true;
}

export interface RunningOpsServer extends Closable {
  port: number;
}

/** An HTTP server with only /healthz, /readyz and /metrics, for the worker running alone. */
export async function startOpsServer(
  port: number,
  ops: OpsEndpoints,
  logger: Logger,
  options: { host?: string; timeouts?: HttpTimeouts } = {},
): Promise<RunningOpsServer> {
  const server = createHttpServer((req, res) => {
    if (!serveOpsRequest(req, res, ops)) res.writeHead(404).end();
  }, options.timeouts);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  logger.info({ port: actualPort }, 'metrics and health listening');
  return {
    port: actualPort,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
