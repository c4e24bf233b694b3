import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Closable } from '../lifecycle.js';
import type { Logger } from '../logger.js';
import { createHttpServer, type HttpTimeouts } from '../http/http-server.js';
import { metricsScrapeAllowed } from './registry.js';

export interface OpsEndpoints {
  registry: Registry;
  /** FLAGSHIP_METRICS_TOKEN: when set, /metrics needs it as a bearer token. */
  metricsToken: string | undefined;
}

/**
 * Answers `GET /healthz` and `GET /metrics` for a service that has no HTTP API
 * of its own (the notifier beside Socket.IO, the worker on its own port).
 * Returns false for any other request, which the caller answers.
 */
export function serveOpsRequest(req: http.IncomingMessage, res: http.ServerResponse, ops: OpsEndpoints): boolean {
  const path = (req.url ?? '').split('?')[0];
  if (req.method !== 'GET' || (path !== '/healthz' && path !== '/metrics')) return false;
  if (path === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
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

/** An HTTP server with only /healthz and /metrics, for the worker running alone. */
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
