import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config, RedisTimeouts } from '../../../shared/config/index.js';
import type { Lane } from '../../../shared/db/webhooks.js';
import type { Logger } from '../../../shared/logger.js';
import { createRedis } from '../../../shared/redis.js';
import { bullPrefix } from '../../../shared/rollouts/queue.js';
import type { WebhookRetryJob } from '../../../shared/schemas/webhooks.js';

/** The BullMQ queue of webhook attempt timers: a delayed job wakes a lane when its retry is due. */
export const WEBHOOK_QUEUE_NAME = 'webhook-attempts';
export const WEBHOOK_RETRY_JOB_NAME = 'retry-webhook-lane';

export type WebhookQueue = Queue<WebhookRetryJob, void, typeof WEBHOOK_RETRY_JOB_NAME>;

export interface WaitingLane extends Lane {
  /** The cursor version and failure count the retry is for: the timer of one attempt. */
  version: number;
  failures: number;
  retryAt: Date;
}

/** One job per attempt (deterministic, without ':'), so queueing it twice keeps one. */
export function retryJobId(lane: WaitingLane): string {
  return `webhook-${lane.webhookId}-${lane.environment}-v${lane.version}-f${lane.failures}`;
}

export interface WebhookQueueHandle {
  queue: WebhookQueue;
  connection: Redis;
  close(): Promise<void>;
}

export function openWebhookQueue(config: Pick<Config, 'redisUrl' | 'redisPrefix'> & Partial<RedisTimeouts>, logger: Logger): WebhookQueueHandle {
  const connection = createRedis(config.redisUrl, logger, { forBullMQ: true, role: 'webhook queue', timeouts: config });
  const queue: WebhookQueue = new Queue(WEBHOOK_QUEUE_NAME, {
    connection,
    prefix: bullPrefix(config.redisPrefix),
    // A job only wakes a lane; the attempt and its outcome live in PostgreSQL.
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
  });
  queue.on('error', (error) => logger.warn({ err: error }, 'webhook queue error'));
  return {
    queue,
    connection,
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

/**
 * Makes sure the timer of a lane's next attempt is in Redis (re-created when
 * Redis lost it). Returns whether it queued one.
 */
export async function ensureRetryQueued(queue: WebhookQueue, lane: WaitingLane, now = Date.now()): Promise<boolean> {
  const jobId = retryJobId(lane);
  const job = await queue.getJob(jobId);
  if (job) {
    const state = await job.getState();
    if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
    await job.remove();
  }
  const data: WebhookRetryJob = { webhookId: lane.webhookId, environment: lane.environment };
  await queue.add(WEBHOOK_RETRY_JOB_NAME, data, { jobId, delay: Math.max(0, lane.retryAt.getTime() - now) });
  return true;
}
