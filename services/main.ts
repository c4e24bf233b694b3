import { ensureFirstAdmin, openResources } from '../shared/bootstrap.js';
import { listenForChanges } from '../shared/db/change-listener.js';
import { loadConfig } from '../shared/config/index.js';
import { closeOnSignal, exitOnStartFailure } from '../shared/lifecycle.js';
import { createLogger } from '../shared/logger.js';
import { createMetricsRegistry } from '../shared/metrics/registry.js';
import { openRampQueue } from '../shared/rollouts/queue.js';
import { createSnapshotCacheMetrics } from './api/metrics.js';
import { createSnapshotCache } from './api/snapshot-cache.js';
import { CONSOLE_DIST_DIR } from './api/console/console-assets.js';
import { startApi } from './api/server.js';
import { startNotifier } from './notifier/server.js';
import { createWorkerMetrics } from './worker/metrics.js';
import { startRampWorker } from './worker/ramp-worker.js';
import { startWebhookWorker } from './worker/webhooks/webhook-worker.js';

// All services in one process: the default for a single machine. Each service
// still talks to the others only through PostgreSQL, Redis and BullMQ. They share
// one metrics registry, so the API's /metrics (and the notifier's) shows all three.
try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const resources = await openResources(config, logger);
  const rampQueue = openRampQueue(config, logger);
  const apiLogger = logger.child({ service: 'api' });
  const metrics = createMetricsRegistry();
  const { metricsToken } = config;
  const snapshots = createSnapshotCache({
    ...resources,
    logger: apiLogger,
    metrics: createSnapshotCacheMetrics(metrics),
  });
  // The API's own LISTEN: SSE streams and reads hear of changes even while Redis pub/sub is silent.
  const changeHints = await listenForChanges(config.databaseUrl, apiLogger, {
    onHint: (change) => snapshots.hint(change),
    // Hints missed while not listening: the notifier's Redis messages and the cache's age bound cover them.
    onListening: () => undefined,
  });
  const api = await startApi(
    {
      ...resources,
      logger: apiLogger,
      publicUrl: config.publicUrl,
      trustProxy: config.trustProxy,
      corsOrigins: config.corsOrigins,
      unleashFetchMode: config.unleashFetchMode,
      metrics,
      metricsToken,
      snapshots,
      rampQueue: rampQueue.queue,
      consoleDir: CONSOLE_DIST_DIR,
      webhookPolicy: { allowPrivate: config.webhookAllowPrivate },
    },
    config.port,
  );
  const notifier = await startNotifier(
    {
      ...resources,
      logger: logger.child({ service: 'notifier' }),
      databaseUrl: config.databaseUrl,
      metrics,
      metricsToken,
    },
    { port: config.notifierPort },
  );
  const workerLogger = logger.child({ service: 'worker' });
  const workerMetrics = createWorkerMetrics(metrics);
  const webhooks = await startWebhookWorker({ pool: resources.pool, config, logger: workerLogger, metrics: workerMetrics });
  const worker = await startRampWorker({ pool: resources.pool, config, logger: workerLogger, metrics: workerMetrics });
  closeOnSignal(logger, [api, changeHints, snapshots, notifier, worker, webhooks, rampQueue, resources], { timeoutMs: config.shutdownTimeoutMs });
  await ensureFirstAdmin(resources.pool, config);
  // After the admin token (if one was created): the start is complete once this is logged.
  logger.info('started');
} catch (error) {
  exitOnStartFailure(error);
}
