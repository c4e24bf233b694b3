import type { Redis } from 'ioredis';
import type { Pool } from '../../shared/db/pool.js';
import type { Logger } from '../../shared/logger.js';

/** What the API needs from the outside world; main.ts builds it, tests build their own. */
export interface ApiDeps {
  pool: Pool;
  redis: Redis;
  logger: Logger;
  /** Prefix of every Redis key this installation uses. */
  redisPrefix: string;
}
