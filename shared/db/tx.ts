import { setTimeout as sleep } from 'node:timers/promises';
import { isConnectionInDoubt } from '../dependency-failures.js';
import { DependencyUnavailableError } from '../errors.js';
import type { Pool, PoolClient } from './pool.js';
import { DEADLOCK_DETECTED, SERIALIZATION_FAILURE, hasPostgresCode } from './postgres-errors.js';

export interface TransactionOptions {
  /** Who makes the change: the triggers record it. */
  actor?: string;
  /** How many times the work runs at most when PostgreSQL aborts it for a deadlock or a serialization failure. Default 3. */
  attempts?: number;
}

const DEFAULT_ATTEMPTS = 3;
/** The first pause before running aborted work again; it doubles each time, with jitter so the rivals drift apart. */
const RETRY_BASE_DELAY_MS = 20;

/**
 * Runs `work` in one transaction on one client; commits if it resolves, rolls
 * back if it throws.
 *
 * A deadlock or serialization failure means PostgreSQL rolled the whole
 * transaction back, so running `work` again is safe (it must only touch the
 * database): that happens up to `attempts` times, then the caller gets a
 * DependencyUnavailableError (a 503). Nothing else is retried: a connection
 * lost around the commit leaves its outcome unknown, and a second run could
 * store the change twice.
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await runOnce(pool, work, options.actor);
    } catch (error) {
      if (!hasPostgresCode(error, DEADLOCK_DETECTED) && !hasPostgresCode(error, SERIALIZATION_FAILURE)) throw error;
      if (attempt >= attempts) {
        throw new DependencyUnavailableError(
          `the change kept conflicting with concurrent ones (${attempts} attempts); retry shortly`,
          error,
        );
      }
      await sleep(RETRY_BASE_DELAY_MS * 2 ** (attempt - 1) * (0.5 + Math.random()));
    }
  }
}

async function runOnce<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, actor: string | undefined): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // pg-pool stops listening to a client's errors while it is checked out: a
  // connection dying mid-transaction (PostgreSQL restarting, a failover) would
  // emit an unhandled 'error' and crash the process. The work's next query
  // fails instead, and the client is discarded below.
  const onConnectionError = (error: Error) => {
    broken = error;
  };
  client.on('error', onConnectionError);
  try {
    await client.query('begin');
    if (actor !== undefined) {
      await client.query(`select set_config('flagship.actor', $1, true)`, [actor]);
    }
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    if (isConnectionInDoubt(error)) {
      // Reset, or no answer within the query timeout: a rollback would wait
      // as long again on a connection that is going away. PostgreSQL rolls
      // back a transaction whose session ends.
      broken ??= error instanceof Error ? error : new Error(String(error));
    } else {
      // A refused change (404, 409, 412...) leaves a healthy connection that rolls
      // back fine and goes back to the pool; only one that cannot roll back is suspect.
      await client.query('rollback').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
    }
    throw error;
  } finally {
    // Passing an error destroys the client rather than returning a broken
    // connection to the pool (whose own error listener is back from here on).
    client.off('error', onConnectionError);
    client.release(broken);
  }
}
