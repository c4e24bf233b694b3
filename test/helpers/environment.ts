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
/** Options of a test environment: the pool's timeouts, for a test whose bound is not the default's. */
export interface TestEnvironmentOptions {
  poolTimeouts?: Parameters<typeof createPool>[3];
}

/**
 * The test pool's timeouts unless a test sets its own: bounds, far above what
 * a statement takes on an idle machine, yet clear of the whole suite's load
 * (at the production defaults, 3 s for a connection and 5 s for a statement,
 * writers queued on one environment's row lock were answered 503 under it).
 * A test of a timeout itself makes its own pool with small values.
 */
export const TEST_POOL_TIMEOUTS = Object.freeze({ dbConnectTimeoutMs: 20_000, dbQueryTimeoutMs: 20_000, dbIdleInTransactionTimeoutMs: 30_000 });

/**
 * The same for the environment's Redis client: its 1 s command timeout is a
 * client-side timer, which a process starved of CPU for a second (the suite's
 * load) fires before it reads an answer already there. Tests of a Redis
 * outage make their own client through a proxy.
 */
export const TEST_REDIS_TIMEOUTS = Object.freeze({ redisCommandTimeoutMs: 10_000, redisConnectTimeoutMs: 10_000 });

export async function createTestEnvironment(t: Teardowns, label: string, options: TestEnvironmentOptions = {}): Promise<TestEnvironment> {
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
  const pool = createPool(config.databaseUrl, logger, undefined, { ...TEST_POOL_TIMEOUTS, ...options.poolTimeouts });
  await withTransaction(pool, (client) => ensureAdminToken(client, adminSecret));
  const redis = createRedis(config.redisUrl, logger, { timeouts: TEST_REDIS_TIMEOUTS });
  const scopedPrefix = databaseRedisPrefix(redisPrefix, await readDatabaseIdentity(pool));
  t.teardown(async () => {
    redis.disconnect();
    await pool.end();
    await deleteRedisKeys(redisPrefix);
    await database.drop();
  });
  return { config, pool, redis, logger, adminSecret, redisPrefix: scopedPrefix };
}
