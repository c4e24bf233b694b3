import type { AddressInfo } from 'node:net';
import type { Closable } from '../../shared/lifecycle.js';
import { createRevocationWatch } from '../../shared/domain/tokens/revocation-watch.js';
import { createRelayWatch } from '../../shared/domain/relay-reports/relay-watch.js';
import { buildApi } from './app.js';
import type { ApiDeps } from './deps.js';
import { createTokenCache } from '../../shared/domain/tokens/token-cache.js';
import { createUsageRecorder } from './usage/usage-recorder.js';
import { createHttpServer, type HttpTimeouts } from '../../shared/http/http-server.js';

export type { HttpTimeouts };

export interface RunningApi extends Closable {
  port: number;
}

/**
 * Serves the HTTP API on `port` (0: an ephemeral one), with a revocation
 * watch, a relay watch, a token cache and a usage recorder of its own unless `deps` gives
 * them. close() stops accepting, drains open requests, then closes what it
 * made (the recorder writes its last counts).
 */
export async function startApi(deps: ApiDeps, port: number, timeouts: HttpTimeouts = {}): Promise<RunningApi> {
  const ownRevocations = deps.revocations ? undefined : createRevocationWatch(deps);
  const revocations = deps.revocations ?? ownRevocations!;
  const ownRelayWatch = deps.relayWatch ? undefined : createRelayWatch(deps);
  const relayWatch = deps.relayWatch ?? ownRelayWatch!;
  const ownCache = deps.tokens ? undefined : createTokenCache({ pool: deps.pool, revocations, logger: deps.logger });
  const ownUsage = deps.usage
    ? undefined
    : createUsageRecorder({ pool: deps.pool, logger: deps.logger, now: deps.clock ?? (() => new Date()) });
  const closeOwn = async () => {
    await ownCache?.close();
    await ownUsage?.close();
    await ownRevocations?.close();
    await ownRelayWatch?.close();
  };
  const { app, lean } = buildApi({ ...deps, revocations, relayWatch, tokens: deps.tokens ?? ownCache, usage: deps.usage ?? ownUsage });
  const server = createHttpServer(lean.listener(app), timeouts);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  }).catch(async (error: unknown) => {
    await closeOwn();
    throw error;
  });
  const actualPort = (server.address() as AddressInfo).port;
  deps.logger.info({ port: actualPort }, 'API listening');
  return {
    port: actualPort,
    close: async () => {
      // Deploy gates held open answer now, so that draining does not wait out a long poll.
      await ownRelayWatch?.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
      await closeOwn();
    },
  };
}
