import { ensureFirstAdmin, openResources } from '../../shared/bootstrap.js';
import { loadConfig } from '../../shared/config/index.js';
import { closeOnSignal, exitOnStartFailure } from '../../shared/lifecycle.js';
import { createLogger } from '../../shared/logger.js';
import { startNotifier } from './server.js';

// The notifier alone (`npm run start:notifier`); services/main.ts starts the
// same startNotifier() next to the other services.
try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'notifier');
  const resources = await openResources(config, logger);
  const notifier = await startNotifier(
    { ...resources, logger, databaseUrl: config.databaseUrl, metricsToken: config.metricsToken },
    { port: config.notifierPort },
  );
  closeOnSignal(logger, [notifier, resources], { timeoutMs: config.shutdownTimeoutMs });
  await ensureFirstAdmin(resources.pool, config);
  // After the admin token (if one was created): the start is complete once this is logged.
  logger.info('started');
} catch (error) {
  exitOnStartFailure(error);
}
