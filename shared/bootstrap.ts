import type { Redis } from 'ioredis';
import { ensureAdminToken } from './domain/tokens/admin-bootstrap.js';
import { databaseRedisPrefix } from './redis/keys.js';
import type { Config } from './config/index.js';
import { readDatabaseIdentity } from './db/database-identity.js';
import { migrate } from './db/migrate.js';
import { createPool, type Pool } from './db/pool.js';
import { withTransaction } from './db/tx.js';
import { createLogger, type Logger } from './logger.js';
import { createRedis } from './redis/connection.js';

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
 * Makes sure an admin can get in (shared/domain/tokens/admin-bootstrap.ts) and says what it
 * did: a created secret is printed once, a replaced FLAGSHIP_ADMIN_TOKEN and a
 * revoked one are logged. Entry points call it only once their ports are
 * bound: a start that fails on a taken port must not have created a token
 * nobody saw (the next start would not print another).
 */
export async function ensureFirstAdmin(
  pool: Pool,
  config: Pick<Config, 'adminToken' | 'logLevel'>,
  logger: Logger = createLogger(config.logLevel),
): Promise<void> {
  const outcome = await withTransaction(pool, (client) => ensureAdminToken(client, config.adminToken));
  // Printed whatever LOG_LEVEL says: without these lines an admin may not know how to get in.
  const always = createLogger('warn');
  if (outcome.registered) {
    logger.info({ tokenId: outcome.registered.id }, 'registered FLAGSHIP_ADMIN_TOKEN as an admin token');
  }
  if (outcome.replaced.length > 0) {
    always.warn(
      { revokedTokenIds: outcome.replaced.map((token) => token.id) },
      "FLAGSHIP_ADMIN_TOKEN changed: its previous value is revoked and no longer authenticates",
    );
  }
  if (outcome.configuredRevokedAt) {
    always.error(
      { revokedAt: outcome.configuredRevokedAt },
      'FLAGSHIP_ADMIN_TOKEN was revoked and stays revoked: it does not authenticate. To rotate it, set FLAGSHIP_ADMIN_TOKEN ' +
        'to a new secret and restart (the new value replaces the old), or unset it and use another admin token',
    );
  }
  if (outcome.createdSecret) {
    always.warn(
      { adminToken: outcome.createdSecret },
      'created the first admin token; it is shown only this once: keep it (or set FLAGSHIP_ADMIN_TOKEN)',
    );
  }
}
