import type { ProcessParts } from '../../shared/bootstrap-process.js';
import type { Closable } from '../../shared/lifecycle.js';
import { startOpsServer } from '../../shared/metrics/ops-http.js';
import { createWorkerMetrics } from './metrics.js';
import { startRampWorker } from './ramps/ramp-worker.js';
import { startWebhookWorker } from './webhooks/webhook-worker.js';

export interface WorkerWiringOptions {
  /**
   * Serve /healthz and /metrics on WORKER_PORT: when the worker runs alone.
   * Beside the API, the API's /metrics shows the worker's (one registry).
   */
  serveOps: boolean;
}

/**
 * Starts the ramp and webhook workers as every entry point does
 * (services/main.ts and services/worker/main.ts). Returns what to close, in order.
 */
export async function wireWorker(parts: ProcessParts, options: WorkerWiringOptions): Promise<Closable[]> {
  const { config, resources } = parts;
  const logger = parts.serviceLogger('worker');
  const metrics = createWorkerMetrics(parts.metrics);
  const webhooks = await startWebhookWorker({ pool: resources.pool, config, logger, metrics });
  const ramps = await startRampWorker({ pool: resources.pool, config, logger, metrics });
  const ops = options.serveOps
    ? [await startOpsServer(config.workerPort, { registry: parts.metrics, metricsToken: config.metricsToken }, logger)]
    : [];
  return [...ops, ramps, webhooks];
}
