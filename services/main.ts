import { ensureFirstAdmin, openResources } from '../shared/bootstrap.js';
import { loadConfig } from '../shared/config/index.js';
import { closeOnSignal, exitOnStartFailure } from '../shared/lifecycle.js';
import { createLogger } from '../shared/logger.js';
import { openRampQueue } from '../shared/rollouts/queue.js';
import { createSnapshotCache } from './api/snapshot-cache.js';
import { startApi } from './api/server.js';
import { startNotifier } from './notifier/server.js';
import { startRampWorker } from './worker/ramp-worker.js';

// All services in one process: the default for a single machine. Each service
// still talks to the others only through PostgreSQL, Redis and BullMQ.
try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const resources = await openResources(config, logger);
  const rampQueue = openRampQueue(config, logger);
  const apiLogger = logger.child({ service: 'api' });
  const snapshots = createSnapshotCache({ ...resources, logger: apiLogger });
  const api = await startApi(
    { ...resources, logger: apiLogger, publicUrl: config.publicUrl, snapshots, rampQueue: rampQueue.queue },
    config.port,
  );
  const notifier = await startNotifier(
    { ...resources, logger: logger.child({ service: 'notifier' }), databaseUrl: config.databaseUrl },
    { port: config.notifierPort },
  );
  const worker = await startRampWorker({ pool: resources.pool, config, logger: logger.child({ service: 'worker' }) });
  closeOnSignal(logger, [api, snapshots, notifier, worker, rampQueue, resources], { timeoutMs: config.shutdownTimeoutMs });
  await ensureFirstAdmin(resources.pool, config);
  // After the admin token (if one was created): the start is complete once this is logged.
  logger.info('started');
} catch (error) {
  exitOnStartFailure(error);
}
