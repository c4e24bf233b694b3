import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Closable } from '../../shared/lifecycle.js';
import { buildApp } from './app.js';
import type { ApiDeps } from './deps.js';
import { createTokenCache } from './http/token-cache.js';
import { createUsageRecorder } from './usage/usage-recorder.js';

export interface RunningApi extends Closable {
  port: number;
}

/**
 * Serves the HTTP API on `port` (0: an ephemeral one), with a token cache and a
 * usage recorder of its own unless `deps` gives them. close() stops accepting,
 * drains open requests, then closes what it made (the recorder writes its last counts).
 */
export async function startApi(deps: ApiDeps, port: number): Promise<RunningApi> {
  const ownCache = deps.tokens ? undefined : createTokenCache(deps);
  const ownUsage = deps.usage
    ? undefined
    : createUsageRecorder({ pool: deps.pool, logger: deps.logger, now: deps.clock ?? (() => new Date()) });
  const server = http.createServer(buildApp({ ...deps, tokens: deps.tokens ?? ownCache, usage: deps.usage ?? ownUsage }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  }).catch(async (error: unknown) => {
    await ownCache?.close();
    await ownUsage?.close();
    throw error;
  });
  const actualPort = (server.address() as AddressInfo).port;
  deps.logger.info({ port: actualPort }, 'API listening');
  return {
    port: actualPort,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
      await ownCache?.close();
      await ownUsage?.close();
    },
  };
}
