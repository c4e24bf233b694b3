import pg from 'pg';
import type { Logger } from '../logger.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything that runs a query: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

// bigint columns (versions, event ids) fit comfortably in a JS number for any
// realistic lifetime (2^53 changes); parse them as numbers, not strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface PoolOptions {
  /** How long to wait for a new connection before failing (node-postgres waits forever by default). */
  connectionTimeoutMillis?: number;
}

/**
 * Creates the process's one pool. Idle-client errors (a dropped connection) are
 * logged, never fatal. A PostgreSQL that does not answer at all (a network
 * partition drops packets rather than refusing) fails a request after
 * `connectionTimeoutMillis` instead of hanging it forever; TCP keepalive finds
 * dead idle connections.
 */
export function createPool(databaseUrl: string, logger: Logger, max = 10, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
    keepAlive: true,
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle PostgreSQL client failed'));
  return pool;
}

// Timestamps leave the database as ISO 8601 strings, the form the API speaks.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value) => new Date(value).toISOString());
