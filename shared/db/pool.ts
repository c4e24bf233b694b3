import pg from 'pg';
import { DEFAULT_TIMEOUTS, type DatabaseTimeouts } from '../config/index.js';
import type { Logger } from '../logger.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything that runs a query: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

// bigint columns (versions, event ids) fit comfortably in a JS number for any
// realistic lifetime (2^53 changes); parse them as numbers, not strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * How long the client waits for an answer beyond PostgreSQL's own
 * statement_timeout: normally the server cancels first (naming the cause, the
 * connection stays usable); this only fires when nothing comes back at all.
 */
export const CLIENT_QUERY_MARGIN_MS = 1000;

/**
 * Creates the process's one pool, where every wait is bounded: getting a
 * connection (`dbConnectTimeoutMs`; node-postgres waits for ever by default),
 * a statement (PostgreSQL's statement_timeout, then the client's own
 * query_timeout should the server not answer at all, as in a network
 * partition that drops packets), and a transaction left idle
 * (idle_in_transaction_session_timeout, so a stuck caller cannot hold locks
 * for ever). Idle-client errors (a dropped connection) are logged, never
 * fatal; TCP keepalive finds dead idle connections.
 */
export function createPool(databaseUrl: string, logger: Logger, max = 10, timeouts: Partial<DatabaseTimeouts> = {}): Pool {
  const { dbConnectTimeoutMs, dbQueryTimeoutMs, dbIdleInTransactionTimeoutMs } = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: dbConnectTimeoutMs,
    statement_timeout: dbQueryTimeoutMs,
    query_timeout: dbQueryTimeoutMs + CLIENT_QUERY_MARGIN_MS,
    idle_in_transaction_session_timeout: dbIdleInTransactionTimeoutMs,
    keepAlive: true,
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle PostgreSQL client failed'));
  return pool;
}

// Timestamps leave the database as ISO 8601 strings, the form the API speaks.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value) => new Date(value).toISOString());
