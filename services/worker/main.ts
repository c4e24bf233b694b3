import { ensureFirstAdmin, openResources } from '../../shared/bootstrap.js';
import { loadConfig } from '../../shared/config/index.js';
import { closeOnSignal, exitOnStartFailure } from '../../shared/lifecycle.js';
import { createLogger } from '../../shared/logger.js';
import { startOpsServer } from '../../shared/metrics/ops-http.js';
import { createMetricsRegistry } from '../../shared/metrics/registry.js';
import { createWorkerMetrics } from './metrics.js';
import { startRampWorker } from './ramp-worker.js';
import { startWebhookWorker } from './webhooks/webhook-worker.js';

// The worker alone (`npm run start:worker`): /healthz and /metrics on WORKER_PORT.
try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'worker');
  const resources = await openResources(config, logger);
  const registry = createMetricsRegistry();
  const metrics = createWorkerMetrics(registry);
  const webhooks = await startWebhookWorker({ pool: resources.pool, config, logger, metrics });
  const worker = await startRampWorker({ pool: resources.pool, config, logger, metrics });
  const ops = await startOpsServer(config.workerPort, { registry, metricsToken: config.metricsToken }, logger);
  closeOnSignal(logger, [ops, worker, webhooks, resources], { timeoutMs: config.shutdownTimeoutMs });
  await ensureFirstAdmin(resources.pool, config);
  // After the admin token (if one was created): the start is complete once this is logged.
  logger.info('started');
} catch (error) {
  exitOnStartFailure(error);
}
