import type { Queue } from 'bullmq';
import { ensureJobQueued, openBullQueue, type QueueHandle } from '../../../shared/redis/bull-queue.js';
import type { Config, RedisTimeouts } from '../../../shared/config/index.js';
import type { Lane } from '../../../shared/domain/webhooks/webhook-repository.js';
import type { Logger } from '../../../shared/logger.js';
import { QUEUE_NAMES } from '../../../shared/redis/keys.js';
import type { WebhookRetryJob } from '../../../shared/schemas/webhooks.js';

/** The BullMQ queue of webhook attempt timers: a delayed job wakes a lane when its retry is due. */
export const WEBHOOK_QUEUE_NAME = QUEUE_NAMES.webhookAttempts;
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

export type WebhookQueueHandle = QueueHandle<WebhookRetryJob, typeof WEBHOOK_RETRY_JOB_NAME>;

export function openWebhookQueue(config: Pick<Config, 'redisUrl' | 'redisPrefix'> & Partial<RedisTimeouts>, logger: Logger): WebhookQueueHandle {
  // A job only wakes a lane; the attempt and its outcome live in PostgreSQL.
  return openBullQueue(WEBHOOK_QUEUE_NAME, config, logger, {
    role: 'webhook queue',
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
  });
}

/** Makes sure the timer of a lane's next attempt is in Redis (see ensureJobQueued). Returns whether it queued one. */
export function ensureRetryQueued(queue: WebhookQueue, lane: WaitingLane, now = Date.now()): Promise<boolean> {
  const data: WebhookRetryJob = { webhookId: lane.webhookId, environment: lane.environment };
  return ensureJobQueued(queue, retryJobId(lane), () =>
    queue.add(WEBHOOK_RETRY_JOB_NAME, data, { jobId: retryJobId(lane), delay: Math.max(0, lane.retryAt.getTime() - now) }),
  );
}
