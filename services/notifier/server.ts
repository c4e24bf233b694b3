import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Pool } from '../../shared/db/pool.js';
import type { Closable } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logger.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { trackRedisAvailability } from '../../shared/redis/availability.js';
import { listenForChanges, type ChangeListener } from '../../shared/db/change-listener.js';
import { openFileLimit } from '../../shared/process-limits.js';
import { stateProbe, type ReadinessCheck } from '../../shared/readiness.js';
import { createHttpServer, type HttpTimeouts } from '../../shared/http/http-server.js';
import { serveOpsRequest } from '../../shared/metrics/ops-http.js';
import { createMetricsRegistry } from '../../shared/metrics/registry.js';
import { createRevocationWatch, type RevocationWatch } from '../../shared/domain/tokens/revocation-watch.js';
import { createTokenCache, type TokenCache } from '../../shared/domain/tokens/token-cache.js';
import { createCacheWriter } from './cache-writer.js';
import type { RelayTarget } from './environment-feed.js';
import { createSocketServer } from './io.js';
import { createNotifierMetrics } from './metrics.js';
import { ChangeRelay } from './relay.js';
import { createRelayReporter, type RelayReporterOptions } from './relay-reporter.js';
import { createReplaySource } from './replay-source.js';

export interface NotifierDeps {
  pool: Pool;
  redis: Redis;
  logger: Logger;
  /** For the LISTEN connection, which pg-listen opens and reopens itself. */
  databaseUrl: string;
  redisPrefix: string;
  /** The process's metrics registry (shared when the services run in one process); a fresh one otherwise. */
  metrics?: Registry;
  /** FLAGSHIP_METRICS_TOKEN: guards this notifier's /metrics when set. */
  metricsToken?: string;
  /**
   * The process's token cache and revocation watch (shared/bootstrap-process.ts), one
   * per process beside the API's; the caller closes them. Without them (tests of
   * the notifier alone) it makes and closes its own.
   */
  tokens?: TokenCache;
  revocations?: RevocationWatch;
  /** False until the process's start is complete (shared/bootstrap-process.ts): /readyz answers 503 until then. Without it, complete. */
  startComplete?: () => boolean;
}

export interface NotifierOptions {
  /** 0: an ephemeral port. */
  port: number;
  host?: string;
  /** How often open sockets' tokens are checked in PostgreSQL for revocation (the bound when Redis is down). Default 500 ms. */
  tokenCheckIntervalMs?: number;
  /** Socket.IO transports; WebSocket only by default (see io.ts). */
  transports?: Array<'websocket' | 'polling'>;
  /** How many missed changes a reconnecting client is replayed before it gets a snapshot instead. */
  replayWindow?: number;
  /** The HTTP server's limits on slow clients (the API's defaults). */
  httpTimeouts?: HttpTimeouts;
  /** How this notifier reports its relayed versions to Redis (GET /v1/environments/{env}/relayed). */
  relayReport?: RelayReporterOptions;
}

export interface RunningNotifier extends Closable {
  port: number;
  /** The last version this notifier relayed for `environment`; undefined before its first catch-up. */
  relayedVersion(environment: string): number | undefined;
}

export const DEFAULT_REPLAY_WINDOW = 1000;
const CACHE_FLUSH_LIMIT_MS = 1000;

/**
 * Starts a notifier: Socket.IO on `port`, LISTEN on PostgreSQL, relaying each
 * change in order to the environment's sockets and into the Redis cache.
 * close() stops listening, then closes the sockets; the caller closes the pool
 * and Redis it passed in.
 */
export async function startNotifier(deps: NotifierDeps, options: NotifierOptions): Promise<RunningNotifier> {
  const { pool, redis, logger, databaseUrl, redisPrefix } = deps;
  const registry = deps.metrics ?? createMetricsRegistry();
  const metrics = createNotifierMetrics(registry);
  let listener: ChangeListener | undefined;
  // Ready once it can push: PostgreSQL answers and LISTEN is active (a notifier that
  // does not listen would hold sockets and tell them nothing). Redis only degrades it.
  const readiness: ReadinessCheck[] = [
    ...(deps.startComplete ? [{ name: 'start', probe: stateProbe(deps.startComplete, 'starting'), required: true }] : []),
    { name: 'postgres', probe: () => pool.query('select 1'), required: true },
    { name: 'listen', probe: stateProbe(() => listener?.isListening() ?? false, 'not listening for changes'), required: true },
    { name: 'redis', probe: () => redis.ping(), required: false },
  ];
  // Socket.IO answers its own path; probes and scrapers get /healthz, /readyz and /metrics on the same port.
  const httpServer = createHttpServer((req, res) => {
    if (!serveOpsRequest(req, res, { registry, metricsToken: deps.metricsToken, readiness })) res.writeHead(404).end();
  }, options.httpTimeouts);
  const ownRevocations = deps.revocations
    ? undefined
    : createRevocationWatch({ pool, redis, redisPrefix, logger, pollIntervalMs: options.tokenCheckIntervalMs });
  const revocations = deps.revocations ?? ownRevocations!;
  // The API's cache, one per process: a reconnect storm costs no query per
  // socket, and sockets of tokens this process verified reconnect while
  // PostgreSQL is away; a revocation still ends them within a second (the watch).
  const ownTokens = deps.tokens ? undefined : createTokenCache({ pool, revocations, logger });
  const tokens = deps.tokens ?? ownTokens!;
  const closeOwn = async () => {
    await ownTokens?.close();
    await ownRevocations?.close();
  };
  const sockets = createSocketServer(httpServer, {
    tokens,
    revocations,
    transports: options.transports,
    // The relay is made below (it delivers to these sockets); sockets only ask it once they connect.
    source: createReplaySource(pool, redis, redisPrefix, trackRedisAvailability(redis, logger), {
      relayedVersion: (environment) => relay.relayedVersion(environment),
      relayedPayload: (environment) => relay.relayedPayload(environment),
      relayedSnapshot: (environment) => relay.relayedSnapshot(environment),
      relayedChangesAfter: (environment, version, limit) => relay.relayedChangesAfter(environment, version, limit),
    }),
    logger,
    replayWindow: options.replayWindow ?? DEFAULT_REPLAY_WINDOW,
    metrics,
  });
  const cache = createCacheWriter(redis, redisPrefix, logger, (error) => metrics.dependencyError('redis', error));
  const reporter = createRelayReporter(redis, redisPrefix, logger, options.relayReport);
  // Reported once the sockets have it: a deploy gate that sees the version knows this notifier pushed it.
  const relayTarget: RelayTarget = {
    deliver: (change) => {
      sockets.deliver(change);
      reporter.relayed(change.environment, change.version);
    },
    reached: (environment, version) => {
      sockets.reached(environment, version);
      reporter.relayed(environment, version);
    },
  };
  const relay = new ChangeRelay(pool, cache, relayTarget, logger, (error) => metrics.dependencyError('postgresql', error));
  metrics.readRelayedVersions(() => relay.relayedVersions());

  try {
    listener = await listenForChanges(databaseUrl, logger, {
      onHint: (notification) => relay.hint(notification),
      onListening: () => relay.catchUpAll(),
    });
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    await listener?.close();
    await relay.close();
    await reporter.close();
    cache.close();
    await sockets.io.close();
    await closeOwn();
    throw error;
  }
  const port = (httpServer.address() as AddressInfo).port;
  // Each socket is a file descriptor: the open-file limit is the most sockets this process can hold.
  logger.info({ port, openFileLimit: openFileLimit() }, 'notifier listening');

  return {
    port,
    relayedVersion: (environment) => relay.relayedVersion(environment),
    async close() {
      await listener!.close();
      await relay.close();
      // Gone from the reports at once: a gate stops waiting for this notifier now, not when its report expires.
      await reporter.close();
      // The last snapshots reach Redis if it answers; a stalled one cannot hold the shutdown.
      await Promise.race([cache.idle(), sleep(CACHE_FLUSH_LIMIT_MS)]);
      cache.close();
      // Ends every socket without a disconnect packet, so clients see a lost
      // connection and reconnect (to another notifier, or this one restarted).
      await sockets.io.close();
      await closeOwn();
      logger.info('notifier stopped');
    },
  };
}
