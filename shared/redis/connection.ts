import { Redis } from 'ioredis';
import { DEFAULT_TIMEOUTS, type RedisTimeouts } from '../config/index.js';
import { rateLimitedWarn } from '../log-rate-limit.js';
import type { Logger } from '../logger.js';

export interface RedisOptions {
  /**
   * A BullMQ connection: BullMQ needs `maxRetriesPerRequest: null` and its
   * blocking commands wait on purpose, so no command timeout there. Nothing an
   * HTTP request waits for goes through one without its own time limit.
   */
  forBullMQ?: boolean;
  /** Names the connection in its error logs. */
  role?: string;
  timeouts?: Partial<RedisTimeouts>;
}

/**
 * A Redis connection from REDIS_URL (a `/N` database index included), where
 * every wait is bounded: opening the connection (`redisConnectTimeoutMs`),
 * each command (`redisCommandTimeoutMs`: a partition leaves the connection
 * open with nothing answering, which no reconnect logic notices), and the
 * retries of a command across reconnections (2). Commands issued while it
 * reconnects queue (the offline queue) within those same bounds, so a brief
 * restart costs a short wait rather than an error. Errors are logged at warn,
 * rate-limited.
 */
export function createRedis(url: string, logger: Logger, options: RedisOptions = {}): Redis {
  const { redisCommandTimeoutMs, redisConnectTimeoutMs } = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const redis = new Redis(url, {
    maxRetriesPerRequest: options.forBullMQ ? null : 2,
    ...(options.forBullMQ ? {} : { commandTimeout: redisCommandTimeoutMs }),
    connectTimeout: redisConnectTimeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    lazyConnect: false,
  });
  logRedisErrors(redis, logger, options.role ?? (options.forBullMQ ? 'BullMQ' : 'main'));
  return redis;
}

/**
 * A connection subscribed to `channel`, from the same options as `redis`, its
 * errors logged like the first's; `onMessage` hears each message. It
 * subscribes on every 'ready' (the first connect and each reconnect) itself,
 * handling a failure: ioredis's own resubscription (autoResubscribe) sends
 * SUBSCRIBE with nobody to catch it, so a connection closed while that was in
 * flight (a shutdown just after Redis came back, or a second drop
 * mid-handshake) became an unhandled rejection "Connection is closed.", which
 * ends a Node process. The caller disconnects it.
 */
export function subscribeRedis(
  redis: Redis,
  logger: Logger,
  role: string,
  channel: string,
  onMessage: (message: string) => void,
): Redis {
  const subscriber = redis.duplicate({ autoResubscribe: false });
  logRedisErrors(subscriber, logger, role);
  const warnNotSubscribed = rateLimitedWarn(logger.child({ redisConnection: role, channel }), 'could not subscribe; will try again once Redis reconnects');
  subscriber.on('message', (received: string, message: string) => {
    if (received === channel) onMessage(message);
  });
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).catch((error: unknown) => {
      // Disconnected on purpose (closing): nothing to say.
      if (subscriber.status !== 'end') warnNotSubscribed(error);
    });
  });
  return subscriber;
}

function logRedisErrors(redis: Redis, logger: Logger, role: string): void {
  redis.on('error', rateLimitedWarn(logger.child({ redisConnection: role }), 'Redis connection error'));
}
