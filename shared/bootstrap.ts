import type { Redis } from 'ioredis';
import { databaseRedisPrefix } from './redis/keys.js';
import type { Config } from './config/index.js';
import { readDatabaseIdentity } from './db/database-identity.js';
import { migrate } from './db/migrate.js';
import { createPool, type Pool } from './db/pool.js';
import { ensureAdminToken } from './db/tokens.js';
import { withTransaction } from './db/tx.js';
import { createLogger, type Logger } from './logger.js';
import { createRedis } from './redis.js';

export interface Resources {
  pool: Pool;
  redis: Redis;
  /** FLAGSHIP_REDIS_PREFIX scoped to this database's identity: the prefix of every key and channel derived from it. */
  redisPrefix: string;
  close(): Promise<void>;
}

/**
 * Brings the database up to date and opens the process's PostgreSQL pool and
 * Redis connection, every wait bounded as the configuration says. Every entry
 * point starts here, so each one applies pending migrations (safely, under
 * node-pg-migrate's lock) and can run alone.
 */
export async function openResources(config: Config, logger: Logger): Promise<Resources> {
  await migrate(config.databaseUrl, logger);
  const pool = createPool(config.databaseUrl, logger, 10, config);
  const redisPrefix = databaseRedisPrefix(config.redisPrefix, await readDatabaseIdentity(pool));
  const redis = createRedis(config.redisUrl, logger, { timeouts: config });
  return {
    pool,
    redis,
    redisPrefix,
    async close() {
      redis.disconnect();
      await pool.end();
    },
  };
}

/**
 * Makes sure an admin can get in (FLAGSHIP_ADMIN_TOKEN registered, or a first
 * admin token created) and prints a created secret once. Entry points call it
 * only once their ports are bound: a start that fails on a taken port must not
 * have created a token nobody saw (the next start would not print another).
 */
export async function ensureFirstAdmin(pool: Pool, config: Pick<Config, 'adminToken'>): Promise<void> {
  const { createdSecret } = await withTransaction(pool, (client) => ensureAdminToken(client, config.adminToken));
  if (createdSecret) {
    // Printed whatever LOG_LEVEL says: without it nobody could administer FlagShip.
    createLogger('warn').warn(
      { adminToken: createdSecret },
      'created the first admin token; it is shown only this once: keep it (or set FLAGSHIP_ADMIN_TOKEN)',
    );
  }
}
