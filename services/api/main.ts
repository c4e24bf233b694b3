import { ensureFirstAdmin, openResources } from '../../shared/bootstrap.js';
import { listenForChanges } from '../../shared/db/change-listener.js';
import { loadConfig } from '../../shared/config/index.js';
import { closeOnSignal, exitOnStartFailure } from '../../shared/lifecycle.js';
import { createLogger } from '../../shared/logger.js';
import { createMetricsRegistry } from '../../shared/metrics/registry.js';
import { openRampQueue } from '../../shared/rollouts/queue.js';
import { createSnapshotCacheMetrics } from './metrics.js';
import { createSnapshotCache } from './snapshot-cache.js';
import { CONSOLE_DIST_DIR } from './console/console-assets.js';
import { startApi } from './server.js';

try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'api');
  const resources = await openResources(config, logger);
  const rampQueue = openRampQueue(config, logger);
  const metrics = createMetricsRegistry();
  const snapshots = createSnapshotCache({ ...resources, logger, metrics: createSnapshotCacheMetrics(metrics) });
  // Its own LISTEN: SSE streams and reads hear of changes even while Redis pub/sub is silent.
  const changeHints = await listenForChanges(config.databaseUrl, logger, {
    onHint: (change) => snapshots.hint(change),
    // Hints missed while not listening: the notifier's Redis messages and the cache's age bound cover them.
    onListening: () => undefined,
  });
  const api = await startApi(
    {
      ...resources,
      logger,
      publicUrl: config.publicUrl,
      trustProxy: config.trustProxy,
      corsOrigins: config.corsOrigins,
      unleashFetchMode: config.unleashFetchMode,
      answerCacheBytes: config.answerCacheBytes,
      metrics,
      metricsToken: config.metricsToken,
      snapshots,
      rampQueue: rampQueue.queue,
      consoleDir: CONSOLE_DIST_DIR,
      webhookPolicy: { allowPrivate: config.webhookAllowPrivate },
    },
    config.port,
  );
  closeOnSignal(logger, [api, changeHints, snapshots, rampQueue, resources], { timeoutMs: config.shutdownTimeoutMs });
  await ensureFirstAdmin(resources.pool, config);
  // After the admin token (if one was created): the start is complete once this is logged.
  logger.info('started');
} catch (error) {
  exitOnStartFailure(error);
}
