import type { Queue } from 'bullmq';
import { openBullQueue, type QueueHandle } from '../../redis/bull-queue.js';
import { QUEUE_NAMES, bullPrefix } from '../../redis/keys.js';
import type { Config, RedisTimeouts } from '../../config/index.js';
import type { Logger } from '../../logger.js';
import type { RampStepJob } from '../../schemas/ramps.js';

/** The BullMQ queue that holds ramp timers: one delayed job per plan's next step. */
export const RAMP_QUEUE_NAME = QUEUE_NAMES.ramps;
export const RAMP_STEP_JOB_NAME = 'apply-ramp-step';

export type RampQueue = Queue<RampStepJob, void, typeof RAMP_STEP_JOB_NAME>;

// Where the ramp code (and its tests) has always found it.
export { bullPrefix };

/**
 * The job id of one step as planned in one revision. Deterministic, so queueing
 * it twice keeps one job; without ':' (BullMQ reserves it for repeatable jobs).
 */
export function rampStepJobId(job: RampStepJob): string {
  return `ramp-${job.planId}-r${job.revision}-s${job.position}`;
}

export type RampQueueHandle = QueueHandle<RampStepJob, typeof RAMP_STEP_JOB_NAME>;

/** Opens the ramp queue on a connection of its own, for the API (which enqueues) or the worker. */
export function openRampQueue(config: Pick<Config, 'redisUrl' | 'redisPrefix'> & Partial<RedisTimeouts>, logger: Logger): RampQueueHandle {
  return openBullQueue(RAMP_QUEUE_NAME, config, logger, {
    role: 'ramp queue',
    defaultJobOptions: {
      // A failed step (PostgreSQL away) is retried; if retries run out, the reconciler re-creates it.
      attempts: 8,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}

export interface StepTimer extends RampStepJob {
  plannedAt: string;
}

/** Queues the timer of one step, due at its planned time (at once if overdue). Idempotent by job id. */
export async function queueRampStep(queue: RampQueue, step: StepTimer, now = Date.now()): Promise<void> {
  const data: RampStepJob = { planId: step.planId, revision: step.revision, position: step.position };
  await queue.add(RAMP_STEP_JOB_NAME, data, {
    jobId: rampStepJobId(data),
    delay: Math.max(0, Date.parse(step.plannedAt) - now),
  });
}
