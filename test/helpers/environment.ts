import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { databaseRedisPrefix } from '../../shared/redis/keys.js';
import { loadConfig, type Config } from '../../shared/config/index.js';
import { readDatabaseIdentity } from '../../shared/db/database-identity.js';
import { createPool, type Pool } from '../../shared/db/pool.js';
import { ensureAdminToken } from '../../shared/domain/tokens/admin-bootstrap.js';
import { withTransaction } from '../../shared/db/tx.js';
import { createLogger, type Logger } from '../../shared/logger.js';
import { createRedis } from '../../shared/redis/connection.js';
import { createTestDatabase } from './database.js';
import { REDIS_URL, deleteRedisKeys, uniqueRedisPrefix } from './redis.js';

/** What tap's `t` offers that the helpers use. */
export interface Teardowns {
  teardown(fn: () => unknown): void;
}

/** One test file's isolated world: its own database, Redis prefix, pool, Redis client and admin token. */
export interface TestEnvironment {
  config: Config;
  pool: Pool;
  redis: Redis;
  logger: Logger;
  adminSecret: string;
  /** The Redis prefix the services derive from the config and this database's identity (as openResources does). */
  redisPrefix: string;
}

/**
 * Creates a fresh database and Redis prefix for a test file and a Config
 * pointing at them, as the services would load it from the environment.
 * Everything is removed at teardown.
 */
export async function createTestEnvironment(t: Teardowns, label: string): Promise<TestEnvironment> {
  const database = await createTestDatabase(label);
  const redisPrefix = uniqueRedisPrefix(label);
  const adminSecret = `test-admin-${randomBytes(16).toString('hex')}`;
  const config = loadConfig({
    DATABASE_URL: database.url,
    REDIS_URL,
    PORT: '0',
    NOTIFIER_PORT: '0',
    FLAGSHIP_ADMIN_TOKEN: adminSecret,
    FLAGSHIP_REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  const logger = createLogger(config.logLevel, label);
  const pool = createPool(config.databaseUrl, logger);
  await withTransaction(pool, (client) => ensureAdminToken(client, adminSecret));
  const redis = createRedis(config.redisUrl, logger);
  const scopedPrefix = databaseRedisPrefix(redisPrefix, await readDatabaseIdentity(pool));
  t.teardown(async () => {
    redis.disconnect();
    await pool.end();
    await deleteRedisKeys(redisPrefix);
    await database.drop();
  });
  return { config, pool, redis, logger, adminSecret, redisPrefix: scopedPrefix };
}
