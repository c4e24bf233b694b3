import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config, RedisTimeouts } from '../config/index.js';
import type { Logger } from '../logger.js';
import { createRedis } from './connection.js';
import { bullPrefix } from './keys.js';

export interface QueueHandle<Data, Name extends string> {
  queue: Queue<Data, void, Name>;
  /** The queue's own connection (REDIS_URL, its /N database included). */
  connection: Redis;
  close(): Promise<void>;
}

/** Opens a BullMQ queue under the installation's prefix, on a connection of its own. */
export function openBullQueue<Data, Name extends string>(
  name: string,
  config: Pick<Config, 'redisUrl' | 'redisPrefix'> & Partial<RedisTimeouts>,
  logger: Logger,
  options: { role: string; defaultJobOptions: DefaultJobOptions },
): QueueHandle<Data, Name> {
  const connection = createRedis(config.redisUrl, logger, { forBullMQ: true, role: options.role, timeouts: config });
  const queue = new Queue<Data, void, Name>(name, {
    connection,
    prefix: bullPrefix(config.redisPrefix),
    defaultJobOptions: options.defaultJobOptions,
  });
  queue.on('error', (error) => logger.warn({ err: error }, `${options.role} error`));
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
 * Makes sure the job `jobId` is in the queue: re-creates it (with `add`) when
 * missing (Redis flushed) or when a finished or failed job holds its id (a
 * deterministic id would otherwise block the new one). Returns whether it queued one.
 */
export async function ensureJobQueued(
  queue: Pick<Queue, 'getJob'>,
  jobId: string,
  add: () => Promise<unknown>,
): Promise<boolean> {
  const job = await queue.getJob(jobId);
  if (job) {
    const state = await job.getState();
    if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
    await job.remove();
  }
  await add();
  return true;
}
