import type { Registry } from 'prom-client';
import { createSnapshotCacheMetrics } from '../../services/api/metrics.js';
import { createSnapshotCache, type SnapshotCacheOptions } from '../../services/api/snapshots/snapshot-cache.js';
import { createDatabaseSnapshotReader, type SnapshotReader } from '../../services/api/snapshots/snapshot-reader.js';
import type { ApiDeps } from '../../services/api/deps.js';
import { startApi, type HttpTimeouts } from '../../services/api/server.js';
import { createUsageRecorder, type UsageRecorder } from '../../services/api/usage/usage-recorder.js';
import { createMetricsRegistry } from '../../shared/metrics/registry.js';
import { openRampQueue } from '../../shared/domain/ramps/ramp-queue.js';
import type { TestEnvironment, Teardowns } from './environment.js';
import { httpClient, type HttpRequest } from './http.js';

export interface TestApi {
  url: string;
  request: HttpRequest;
  /** The API's snapshot reader (to watch onChange or call get() directly). */
  snapshots: SnapshotReader;
  /** Where the API counts evaluations; flush() writes what it counted so far. */
  usage: UsageRecorder;
  /** The API's metrics registry (its snapshot cache counts there too, as in production). */
  metrics: Registry;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /**
   * Where the API reads environment snapshots. 'database' (the default):
   * straight from PostgreSQL, so a read right after a write sees it. 'cache':
   * the production reader (in-process copy, Redis, then PostgreSQL), which
   * learns of changes from a notifier (start one with startTestNotifier) and
   * fires onChange.
   */
  snapshots?: 'database' | 'cache';
  /** FLAGSHIP_WEBHOOK_ALLOW_PRIVATE for this API (webhooks to a loopback receiver need it). */
  allowPrivateWebhooks?: boolean;
  /** Options for the cache, e.g. its beforeWriteBack test seam. */
  cache?: Partial<Omit<SnapshotCacheOptions, 'pool' | 'redis' | 'redisPrefix' | 'logger'>>;
  /** The API's clock (usage hours, stale flags); the system clock by default. */
  clock?: () => Date;
  /** What GET /api/client/features tells a polling Unleash SDK (FLAGSHIP_UNLEASH_FETCH_MODE). */
  unleashFetchMode?: 'streaming' | 'polling';
  /** FLAGSHIP_METRICS_TOKEN for this API's /metrics. */
  metricsToken?: string;
  /** The built console's folder, to serve it at `/` (see test/console/support/console-build.ts). */
  consoleDir?: string;
  /** Configuration the API takes from the environment in production (FLAGSHIP_PUBLIC_URL, _TRUST_PROXY, _CORS_ORIGINS). */
  config?: Pick<ApiDeps, 'publicUrl' | 'trustProxy' | 'corsOrigins' | 'sessionPolicy' | 'singleSignOn'>;
  /** The HTTP server's limits on slow clients. */
  timeouts?: HttpTimeouts;
  /** Unleash metrics reports one token may send per minute (a small number to test the 429). */
  metricsReportsPerMinute?: number;
  /** OpenID Connect sign-in (see test/helpers/oidc-provider.ts). */
  oidc?: ApiDeps['oidc'];
  /** The port to listen on (one reserved with reservePort, when the URL must be known first); 0 by default. */
  port?: number;
}

/** Starts the real API on an ephemeral port against the test environment's database and Redis. */
export async function startTestApi(t: Teardowns, env: TestEnvironment, options: TestApiOptions = {}): Promise<TestApi> {
  const rampQueue = openRampQueue(env.config, env.logger);
  const metrics = createMetricsRegistry();
  const cache = options.snapshots === 'cache'
    ? createSnapshotCache({
        pool: env.pool,
        redis: env.redis,
        redisPrefix: env.redisPrefix,
        logger: env.logger,
        metrics: createSnapshotCacheMetrics(metrics),
        ...options.cache,
      })
    : undefined;
  const snapshots = cache ?? createDatabaseSnapshotReader(env.pool);
  const clock = options.clock ?? (() => new Date());
  // Written only when a test flushes (or at close), so what a test sees does not depend on a timer.
  const usage = createUsageRecorder({ pool: env.pool, logger: env.logger, now: clock, flushIntervalMs: 0 });
  const api = await startApi(
    {
      pool: env.pool,
      redis: env.redis,
      logger: env.logger,
      redisPrefix: env.redisPrefix,
      snapshots,
      rampQueue: rampQueue.queue,
      usage,
      clock,
      unleashFetchMode: options.unleashFetchMode,
      metrics,
      metricsToken: options.metricsToken,
      consoleDir: options.consoleDir,
      metricsReportsPerMinute: options.metricsReportsPerMinute,
      ...options.config,
      webhookPolicy: { allowPrivate: options.allowPrivateWebhooks ?? env.config.webhookAllowPrivate },
      oidc: options.oidc,
    },
    options.port ?? 0,
    options.timeouts,
  );
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await api.close();
    await usage.close();
    await cache?.close();
    await rampQueue.close();
  };
  t.teardown(close);
  const url = `http://127.0.0.1:${api.port}`;
  return { url, request: httpClient(url), snapshots, usage, metrics, close };
}
