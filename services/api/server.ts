import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Closable } from '../../shared/lifecycle.js';
import { buildApp } from './app.js';
import type { ApiDeps } from './deps.js';

export interface RunningApi extends Closable {
  port: number;
}

/** Serves the HTTP API on `port` (0: an ephemeral one). close() stops accepting and drains open requests. */
export async function startApi(deps: ApiDeps, port: number): Promise<RunningApi> {
  const server = http.createServer(buildApp(deps));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  deps.logger.info({ port: actualPort }, 'API listening');
  return {
    port: actualPort,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
