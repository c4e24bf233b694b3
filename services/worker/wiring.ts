import type { ProcessParts } from '../../shared/bootstrap-process.js';
import type { Closable } from '../../shared/lifecycle.js';
import { startOpsServer } from '../../shared/metrics/ops-http.js';
import { stateProbe, type ReadinessCheck } from '../../shared/readiness.js';
import { createWorkerMetrics } from './metrics.js';
import { startRampWorker } from './ramps/ramp-worker.js';
import { startWebhookWorker } from './webhooks/webhook-worker.js';
import { startScheduleWorker } from './schedules/schedule-worker.js';
import { startCheckpointWorker } from './history/checkpoint-worker.js';

export interface WorkerWiringOptions {
  /**
   * Serve /healthz, /readyz and /metrics on WORKER_PORT: when the worker runs alone.
   * Beside the API, the API's /metrics shows the worker's (one registry).
   */
  serveOps: boolean;
}

/**
 * Ready once started and PostgreSQL answers (the worker's truth: ramps and the
 * webhook cursors are rebuilt from it). Redis, BullMQ's store, only degrades it:
 * the timers come back from PostgreSQL when it does.
 */
function workerReadiness({ resources, startComplete }: ProcessParts): ReadinessCheck[] {
  return [
    { name: 'start', probe: stateProbe(startComplete, 'starting'), required: true },
    { name: 'postgres', probe: () => resources.pool.query('select 1'), required: true },
    { name: 'redis', probe: () => resources.redis.ping(), required: false },
  ];
}

/**
 * Starts the schedule, ramp and webhook workers as every entry point does
 * (services/main.ts and services/worker/main.ts). Returns what to close, in order.
 */
export async function wireWorker(parts: ProcessParts, options: WorkerWiringOptions): Promise<Closable[]> {
  const { config, resources } = parts;
  const logger = parts.serviceLogger('worker');
  const metrics = createWorkerMetrics(parts.metrics);
  const webhooks = await startWebhookWorker({ pool: resources.pool, config, logger, metrics });
  const ramps = await startRampWorker({ pool: resources.pool, config, logger, metrics });
  const schedules = startScheduleWorker({ pool: resources.pool, logger });
  const checkpoints = startCheckpointWorker({ pool: resources.pool, logger });
  const ops = options.serveOps
    ? [await startOpsServer(config.workerPort, { registry: parts.metrics, metricsToken: config.metricsToken, readiness: workerReadiness(parts) }, logger)]
    : [];
  return [...ops, checkpoints, schedules, ramps, webhooks];
}
