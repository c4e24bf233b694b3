import { Redis } from 'ioredis';
import type { Logger } from './logger.js';

/**
 * A Redis connection from REDIS_URL (a `/N` database index included). Commands
 * wait and retry through a restart rather than failing at once; BullMQ needs
 * `maxRetriesPerRequest: null` on its own connections.
 */
export function createRedis(url: string, logger: Logger, options: { forBullMQ?: boolean } = {}): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: options.forBullMQ ? null : 2,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    lazyConnect: false,
  });
  redis.on('error', (error) => logger.debug({ err: error }, 'Redis connection error'));
  return redis;
}
