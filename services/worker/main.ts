import { ensureFirstAdmin, openResources } from '../../shared/bootstrap.js';
import { loadConfig } from '../../shared/config/index.js';
import { closeOnSignal, exitOnStartFailure } from '../../shared/lifecycle.js';
import { createLogger } from '../../shared/logger.js';
import { startRampWorker } from './ramp-worker.js';

try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'worker');
  const resources = await openResources(config, logger);
  const worker = await startRampWorker({ pool: resources.pool, config, logger });
  closeOnSignal(logger, [worker, resources], { timeoutMs: config.shutdownTimeoutMs });
  await ensureFirstAdmin(resources.pool, config);
  // After the admin token (if one was created): the start is complete once this is logged.
  logger.info('started');
} catch (error) {
  exitOnStartFailure(error);
}
