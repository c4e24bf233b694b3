import { setTimeout as sleep } from 'node:timers/promises';
import { isConnectionInDoubt } from '../dependency-failures.js';
import { DependencyUnavailableError } from '../errors.js';
import type { Actor } from '../domain/people/principal.js';
import type { Pool, PoolClient, Queryable } from './pool.js';
import { DEADLOCK_DETECTED, SERIALIZATION_FAILURE, hasPostgresCode } from './postgres-errors.js';

export interface TransactionOptions {
  /** Who makes the change: the triggers record it (flagship.actor, as JSON text). */
  actor?: Actor;
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
  return retryingAbortedWork(() => runOnce(pool, work, options.actor), options.attempts);
}

/**
 * Runs `work`, which sends exactly one statement, as that statement's own
 * transaction (no BEGIN, no COMMIT): PostgreSQL commits it when it succeeds
 * and rolls all of it back when it fails, so a change made by one function
 * call costs one round trip, and the locks it takes are released at its end
 * instead of after a round trip back here for the COMMIT. The statement names
 * its own actor (there is no transaction to name it in first). A second
 * statement is refused: it would be a transaction of its own. Retried like
 * withTransaction: a deadlock or serialization failure rolled it all back.
 */
export async function withOneStatement<T>(
  pool: Pool,
  work: (db: Queryable) => Promise<T>,
  options: Pick<TransactionOptions, 'attempts'> = {},
): Promise<T> {
  return retryingAbortedWork(() => runStatementOnce(pool, work), options.attempts);
}

async function retryingAbortedWork<T>(runOnce: () => Promise<T>, attempts = DEFAULT_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await runOnce();
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

async function runStatementOnce<T>(pool: Pool, work: (db: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // As in runOnce: a connection dying mid-statement fails the statement, not the process.
  const onConnectionError = (error: Error) => {
    broken = error;
  };
  client.on('error', onConnectionError);
  let sent = false;
  const once: Queryable = {
    query: ((...args: Parameters<PoolClient['query']>) => {
      if (sent) return Promise.reject(new Error('withOneStatement ran a second statement: use withTransaction for several'));
      sent = true;
      return (client.query as (...queryArgs: unknown[]) => unknown)(...args);
    }) as PoolClient['query'],
  };
  try {
    return await work(once);
  } catch (error) {
    // Nothing to roll back: a failed statement rolled itself back. Only a
    // connection in doubt is discarded; a refused or aborted one stays healthy.
    if (isConnectionInDoubt(error)) broken ??= error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.off('error', onConnectionError);
    client.release(broken);
  }
}

async function runOnce<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, actor: Actor | undefined): Promise<T> {
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
      await client.query(`select set_config('flagship.actor', $1, true)`, [JSON.stringify(actor)]);
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
