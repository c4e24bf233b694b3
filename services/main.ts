import { openResources } from '../shared/bootstrap.js';
import { loadConfig } from '../shared/config/index.js';
import { closeOnSignal, exitOnStartFailure } from '../shared/lifecycle.js';
import { createLogger } from '../shared/logger.js';
import { createDatabaseSnapshotReader } from './api/snapshot-reader.js';
import { startApi } from './api/server.js';

// All services in one process: the default for a single machine. Each service
// still talks to the others only through PostgreSQL, Redis and BullMQ.
try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const resources = await openResources(config, logger);
  const api = await startApi(
    { ...resources, logger: logger.child({ service: 'api' }), redisPrefix: config.redisPrefix, snapshots: createDatabaseSnapshotReader(resources.pool) },
    config.port,
  );
  closeOnSignal(logger, [api, resources]);
} catch (error) {
  exitOnStartFailure(error);
}
