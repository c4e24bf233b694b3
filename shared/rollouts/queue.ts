import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config, RedisTimeouts } from '../config/index.js';
import type { Logger } from '../logger.js';
import { createRedis } from '../redis.js';
import type { RampStepJob } from '../schemas/rollouts.js';

/** The BullMQ queue that holds ramp timers: one delayed job per plan's next step. */
export const RAMP_QUEUE_NAME = 'rollout-ramps';
export const RAMP_STEP_JOB_NAME = 'apply-ramp-step';

export type RampQueue = Queue<RampStepJob, void, typeof RAMP_STEP_JOB_NAME>;

/** BullMQ's own key prefix under the installation's prefix (never ioredis keyPrefix, which BullMQ refuses). */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

/**
 * The job id of one step as planned in one revision. Deterministic, so queueing
 * it twice keeps one job; without ':' (BullMQ reserves it for repeatable jobs).
 */
export function rampStepJobId(job: RampStepJob): string {
  return `ramp-${job.planId}-r${job.revision}-s${job.position}`;
}

export interface RampQueueHandle {
  queue: RampQueue;
  /** The queue's own connection (REDIS_URL, its /N database included). */
  connection: Redis;
  close(): Promise<void>;
}

/** Opens the ramp queue on a connection of its own, for the API (which enqueues) or the worker. */
export function openRampQueue(config: Pick<Config, 'redisUrl' | 'redisPrefix'> & Partial<RedisTimeouts>, logger: Logger): RampQueueHandle {
  const connection = createRedis(config.redisUrl, logger, { forBullMQ: true, role: 'ramp queue', timeouts: config });
  const queue: RampQueue = new Queue(RAMP_QUEUE_NAME, {
    connection,
    prefix: bullPrefix(config.redisPrefix),
    defaultJobOptions: {
      // A failed step (PostgreSQL away) is retried; if retries run out, the reconciler re-creates it.
      attempts: 8,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  queue.on('error', (error) => logger.warn({ err: error }, 'ramp queue error'));
  return {
    queue,
    connection,
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
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
