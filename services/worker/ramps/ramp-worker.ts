import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Config, RedisTimeouts } from '../../../shared/config/index.js';
import type { Pool } from '../../../shared/db/pool.js';
import type { Closable } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logger.js';
import { createRedis } from '../../../shared/redis/connection.js';
import { RAMP_QUEUE_NAME, bullPrefix, openRampQueue, queueRampStep } from '../../../shared/domain/ramps/ramp-queue.js';
import { RampStepJobSchema, type RampStepJob } from '../../../shared/schemas/ramps.js';
import { advanceRampStep, type AppliedStep, type StepOutcome } from './advance-ramp.js';
import type { WorkerMetrics } from '../metrics.js';
import { reconcileRamps, type ReconcileReport } from './reconcile.js';
import { startReconcileLoop } from './reconcile-loop.js';
import { startGuardWatcher } from './guard-watcher.js';
import type { GuardBreach, GuardRound } from '../../../shared/domain/ramps/guard-service.js';

export const DEFAULT_RECONCILE_EVERY_MS = 60_000;

export interface RampWorkerOptions {
  pool: Pool;
  config: Pick<Config, 'redisUrl' | 'redisPrefix'> & Partial<RedisTimeouts>;
  logger: Logger;
  /** Time between reconciler rounds (one also runs at start). */
  reconcileEveryMs?: number;
  /** Steps applied at once, across ramps (a ramp's own steps serialise on its row lock). */
  concurrency?: number;
  /** BullMQ's job lock: a job held by a worker that died is handed out again once it expires. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Where applied steps, queue sizes and failures are counted (services/worker/metrics.ts). */
  metrics?: WorkerMetrics;
  /** Called after a step's transaction committed, before the next step's timer is queued. */
  afterStepCommitted?: (step: AppliedStep) => void;
  /** Time between looks at the guards of running ramps (default 2 s). */
  guardEveryMs?: number;
  /** Called after a guard's breach stopped its ramp (committed). */
  afterGuardBreach?: (breach: GuardBreach) => void;
}

export interface RunningRampWorker extends Closable {
  /** Runs a reconciler round now (tests; the loop runs on its own). */
  reconcileNow(): Promise<ReconcileReport>;
  /** Looks at the guards of running ramps now (tests; the watcher runs on its own). */
  lookAtGuardsNow(): Promise<GuardRound>;
}

/**
 * The ramp worker: a BullMQ worker that applies each step when its timer fires
 * and queues the next one, plus the reconciler that rebuilds timers from
 * PostgreSQL and applies overdue steps. close() stops taking jobs, lets the
 * running ones finish, then closes its Redis connections (the pool is the caller's).
 */
export async function startRampWorker(options: RampWorkerOptions): Promise<RunningRampWorker> {
  const { pool, config, logger } = options;
  const queueHandle = openRampQueue(config, logger);
  const { queue } = queueHandle;
  const { metrics } = options;
  metrics?.watchQueue(queue);

  const stepApplied = (step: AppliedStep) => {
    logger.info(
      {
        planId: step.planId,
        flag: step.flag,
        environment: step.environment,
        position: step.position,
        rollout: step.rollout,
        version: step.version,
        plannedAt: step.plannedAt,
        appliedAt: step.appliedAt,
        lateMs: Date.parse(step.appliedAt) - Date.parse(step.plannedAt),
        completed: step.completed,
      },
      step.completed ? 'applied the last ramp step: ramp completed' : 'applied a ramp step',
    );
    metrics?.rampStepApplied(step);
    options.afterStepCommitted?.(step);
  };

  const followUp = async (outcome: StepOutcome) => {
    if (outcome.kind === 'applied') stepApplied(outcome);
    else if (outcome.kind === 'skipped') logger.debug({ reason: outcome.reason }, 'ramp step job had nothing to do');
    // Also after a skip: the timer of the plan's real next step may never have been queued.
    if (outcome.kind !== 'not-due' && outcome.next) await queueRampStep(queue, outcome.next);
  };

  const processJob = async (job: Job<RampStepJob>, token?: string) => {
    const parsed = RampStepJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid ramp step job data: ${parsed.error.message}`);
    const outcome = await advanceRampStep(pool, parsed.data, new Date());
    if (outcome.kind === 'not-due') {
      // Fired before its time (a clock differs): wait again rather than apply early.
      await job.moveToDelayed(Date.parse(outcome.plannedAt), token);
      throw new DelayedError();
    }
    await followUp(outcome);
  };

  const connection = createRedis(config.redisUrl, logger, { forBullMQ: true, role: 'ramp worker', timeouts: config });
  const worker = new Worker<RampStepJob>(RAMP_QUEUE_NAME, processJob, {
    connection,
    prefix: bullPrefix(config.redisPrefix),
    concurrency: options.concurrency ?? 4,
    ...(options.lockDurationMs !== undefined && { lockDuration: options.lockDurationMs }),
    ...(options.stalledIntervalMs !== undefined && { stalledInterval: options.stalledIntervalMs }),
  });
  worker.on('failed', (job, error) => {
    // A step fails only when its transaction does (bad job data is unrecoverable, and not a dependency's fault).
    if (!(error instanceof UnrecoverableError)) metrics?.dependencyError('postgresql', error);
    logger.warn({ err: error, jobId: job?.id, attempts: job?.attemptsMade }, 'ramp step job failed');
  });
  worker.on('error', (error) => {
    metrics?.dependencyError('redis', error);
    logger.warn({ err: error }, 'ramp worker error');
  });

  const loop = startReconcileLoop(
    () => reconcileRamps({ pool, queue, logger, onStepApplied: stepApplied }),
    options.reconcileEveryMs ?? DEFAULT_RECONCILE_EVERY_MS,
    logger,
    {
      what: 'ramp',
      onReport: (report, atStart) => {
        if (atStart) logger.info(report, 'reconciled rollout ramps at start');
        else if (report.appliedSteps > 0 || report.requeuedTimers > 0) logger.info(report, 'reconciled rollout ramps');
      },
    },
  );
  const guards = startGuardWatcher({ pool, logger, metrics, everyMs: options.guardEveryMs, onBreach: options.afterGuardBreach });
  logger.info({ queue: RAMP_QUEUE_NAME }, 'ramp worker started');

  return {
    reconcileNow: () => loop.runNow(),
    lookAtGuardsNow: () => guards.lookNow(),
    async close() {
      await guards.close();
      await loop.stop();
      await worker.close();
      await queueHandle.close();
      connection.disconnect();
    },
  };
}
