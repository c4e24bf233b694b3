import type { Redis } from 'ioredis';
import { isDependencyFailure } from '../dependency-failures.js';
import type { Logger } from '../logger.js';

/** Whether a cache read should ask Redis at all, and where callers report that it did not answer. */
export interface RedisAvailability {
  /** False while the connection is down, or since a command failed until a probe answered again. */
  usable(): boolean;
  /** A command on this connection failed; a timeout or a lost connection makes Redis unusable until a PING answers. */
  failed(error: unknown): void;
}

const PROBE_EVERY_MS = 500;

/**
 * Tracks whether Redis answers, so that cache reads skip it at once instead of
 * each waiting for the command timeout. A partition keeps the connection open
 * (ioredis still says 'ready') while nothing answers: only a failed command
 * shows it. Once one has, a PING every half second (bounded by the command
 * timeout) finds out when Redis is back.
 */
export function trackRedisAvailability(redis: Redis, logger: Logger): RedisAvailability {
  let suspect = false;
  let probe: NodeJS.Timeout | undefined;

  const scheduleProbe = () => {
    probe = setTimeout(() => {
      if (redis.status === 'end') return;
      redis.ping().then(
        () => {
          suspect = false;
          probe = undefined;
          logger.info('Redis answers again: cache reads use it');
        },
        () => scheduleProbe(),
      );
    }, PROBE_EVERY_MS);
    probe.unref();
  };

  return {
    usable: () => redis.status === 'ready' && !suspect,
    failed(error) {
      if (!isDependencyFailure(error)) return;
      if (suspect) return;
      suspect = true;
      logger.warn({ err: error }, 'Redis does not answer: cache reads go to PostgreSQL until it does');
      if (!probe) scheduleProbe();
    },
  };
}
