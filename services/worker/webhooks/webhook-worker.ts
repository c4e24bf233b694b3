import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Config, RedisTimeouts } from '../../../shared/config/index.js';
import { listenForChanges } from '../../../shared/db/change-listener.js';
import type { Pool } from '../../../shared/db/pool.js';
import { ensureCursors, listActiveLanes, type Lane } from '../../../shared/domain/webhooks/webhook-repository.js';
import type { Closable } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logger.js';
import { createRedis } from '../../../shared/redis/connection.js';
import { bullPrefix } from '../../../shared/redis/keys.js';
import { WebhookRetryJobSchema, type WebhookRetryJob } from '../../../shared/schemas/webhooks.js';
import type { WorkerMetrics } from '../metrics.js';
import { startReconcileLoop } from '../ramps/reconcile-loop.js';
import { RUN_TIME_BUDGET_MS, deliverLane, type LaneDeliveryDeps, type LaneOutcome } from './deliver-lane.js';
import { createLaneScheduler } from './lane-scheduler.js';
import { FAILURE_PERIOD_MS, RETRY_CAP_MS } from './retry-policy.js';
import { WEBHOOK_QUEUE_NAME, ensureRetryQueued, openWebhookQueue } from './retry-queue.js';

export const DEFAULT_SCAN_EVERY_MS = 5000;
/** Lanes delivering at once per process; each holds one PostgreSQL connection while its receiver answers. */
export const DEFAULT_LANE_CONCURRENCY = 4;
/** A lane run longer than this (twice a run's time budget) marks the lane slow: it may not take the last slot. */
export const DEFAULT_SLOW_RUN_MS = 2 * RUN_TIME_BUDGET_MS;
/** How long a lane waits for Redis to take its retry timer; past that, the next scan queues it. */
const QUEUE_TIME_LIMIT_MS = 2000;
const CLOSE_WAIT_MS = 12_000;

export interface WebhookWorkerOptions {
  pool: Pool;
  config: Pick<
    Config,
    'databaseUrl' | 'redisUrl' | 'redisPrefix' | 'webhookAllowPrivate' | 'webhookRetryBaseMs' | 'webhookDisableAfterFailures'
  > &
    Partial<RedisTimeouts>;
  logger: Logger;
  /** Time between scans of every lane (one also runs at start and after LISTEN reconnects). */
  scanEveryMs?: number;
  concurrency?: number;
  /** Per attempt (10 s unless a test needs a stalled receiver to time out sooner). */
  attemptTimeoutMs?: number;
  /** How long a lane run starts attempts before yielding (RUN_TIME_BUDGET_MS). */
  runBudgetMs?: number;
  /** A run longer than this marks its lane slow (DEFAULT_SLOW_RUN_MS). */
  slowRunMs?: number;
  /** How long failures must last before disabling (a day unless a test shortens it). */
  failurePeriodMs?: number;
  now?: () => Date;
  onAccepted?: LaneDeliveryDeps['onAccepted'];
  /** Where attempts, failures and the retry queue are counted (services/worker/metrics.ts). */
  metrics?: WorkerMetrics;
}

export interface ScanReport {
  lanes: number;
  kicked: number;
  requeuedTimers: number;
}

export interface RunningWebhookWorker extends Closable {
  /** Runs a scan now (tests; the loop runs on its own). */
  scanNow(): Promise<ScanReport>;
}

function withTimeLimit<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The webhook worker. PostgreSQL is the outbox: each lane (webhook ×
 * environment) delivers from its cursor (deliverLane). Lanes are woken by
 * LISTEN hints (a change committed), by BullMQ timers (a retry is due), and by
 * a periodic scan that also re-creates timers Redis lost. Hints and scans go
 * straight to the in-process scheduler, so deliveries continue while Redis is
 * away; only retry timing waits for Redis, or for the next scan.
 */
export async function startWebhookWorker(options: WebhookWorkerOptions): Promise<RunningWebhookWorker> {
  const { pool, config, logger } = options;
  const now = options.now ?? (() => new Date());
  const queueHandle = openWebhookQueue(config, logger);
  const { queue } = queueHandle;
  options.metrics?.watchQueue(queue);
  const deps: LaneDeliveryDeps = {
    pool,
    logger,
    policy: { allowPrivate: config.webhookAllowPrivate },
    retry: {
      baseMs: config.webhookRetryBaseMs,
      capMs: RETRY_CAP_MS,
      disableAfterFailures: config.webhookDisableAfterFailures,
      failurePeriodMs: options.failurePeriodMs ?? FAILURE_PERIOD_MS,
    },
    attemptTimeoutMs: options.attemptTimeoutMs,
    runBudgetMs: options.runBudgetMs,
    now,
    onAccepted: options.onAccepted,
    metrics: options.metrics,
  };

  const followUp = async (lane: Lane, outcome: LaneOutcome) => {
    if (outcome.kind === 'more') scheduler.kick(lane);
    if (outcome.kind !== 'waiting') return;
    const waiting = { ...lane, version: outcome.version, failures: outcome.failures, retryAt: outcome.retryAt };
    await withTimeLimit(ensureRetryQueued(queue, waiting, now().getTime()), QUEUE_TIME_LIMIT_MS).catch((error: unknown) =>
      logger.warn({ err: error, ...lane }, 'could not queue a webhook retry; the next scan will'),
    );
  };
  const scheduler = createLaneScheduler(async (lane) => {
    try {
      await followUp(lane, await deliverLane(deps, lane));
    } catch (error) {
      options.metrics?.dependencyError('postgresql', error);
      logger.error({ err: error, ...lane }, 'webhook delivery failed; the next scan retries the lane');
    }
  }, {
    concurrency: options.concurrency ?? DEFAULT_LANE_CONCURRENCY,
    slowRunMs: options.slowRunMs ?? DEFAULT_SLOW_RUN_MS,
    now: () => now().getTime(),
  });

  const scan = async (): Promise<ScanReport> => {
    await ensureCursors(pool);
    const lanes = await listActiveLanes(pool);
    const report: ScanReport = { lanes: lanes.length, kicked: 0, requeuedTimers: 0 };
    for (const lane of lanes) {
      const lanePart = { webhookId: lane.webhookId, environment: lane.environment };
      if (lane.nextAttemptAt && Date.parse(lane.nextAttemptAt) > now().getTime()) {
        const waiting = { ...lanePart, version: lane.version, failures: lane.failures, retryAt: new Date(lane.nextAttemptAt) };
        if (await withTimeLimit(ensureRetryQueued(queue, waiting, now().getTime()), QUEUE_TIME_LIMIT_MS).catch(() => false)) {
          report.requeuedTimers += 1;
        }
      } else {
        scheduler.kick(lanePart);
        report.kicked += 1;
      }
    }
    return report;
  };
  const loop = startReconcileLoop(scan, options.scanEveryMs ?? DEFAULT_SCAN_EVERY_MS, logger, {
    what: 'webhook',
    onReport: (report, atStart) => {
      if (atStart || report.requeuedTimers > 0) logger.info(report, 'scanned webhook lanes');
    },
  });

  // A hint names an environment: wake its lanes. Hints for an environment whose
  // lanes are being looked up coalesce into one more lookup.
  const lookups = new Set<string>();
  const lookAgain = new Set<string>();
  const wakeEnvironment = (environment: string) => {
    if (lookups.has(environment)) {
      lookAgain.add(environment);
      return;
    }
    lookups.add(environment);
    void listActiveLanes(pool, environment)
      .then((lanes) => lanes.forEach((lane) => scheduler.kick({ webhookId: lane.webhookId, environment })))
      .catch((error: unknown) => logger.warn({ err: error, environment }, 'could not look up webhook lanes; the next scan will'))
      .finally(() => {
        lookups.delete(environment);
        if (lookAgain.delete(environment)) wakeEnvironment(environment);
      });
  };
  const listener = await listenForChanges(config.databaseUrl, logger, {
    onHint: (notification) => wakeEnvironment(notification.environment),
    // NOTIFYs sent while nobody listened are lost: a scan catches up from the cursors.
    onListening: () => void loop.runNow().catch(() => undefined),
  });

  const processJob = async (job: Job<WebhookRetryJob>) => {
    const parsed = WebhookRetryJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid webhook retry job data: ${parsed.error.message}`);
    scheduler.kick(parsed.data);
  };
  const connection = createRedis(config.redisUrl, logger, { forBullMQ: true, role: 'webhook retry worker', timeouts: config });
  const worker = new Worker<WebhookRetryJob>(WEBHOOK_QUEUE_NAME, processJob, {
    connection,
    prefix: bullPrefix(config.redisPrefix),
    concurrency: 4,
  });
  worker.on('error', (error) => {
    options.metrics?.dependencyError('redis', error);
    logger.warn({ err: error }, 'webhook retry worker error');
  });
  logger.info({ queue: WEBHOOK_QUEUE_NAME }, 'webhook worker started');

  return {
    scanNow: () => loop.runNow(),
    async close() {
      await listener.close();
      await loop.stop();
      await worker.close();
      await scheduler.close(CLOSE_WAIT_MS);
      await queueHandle.close();
      connection.disconnect();
    },
  };
}
