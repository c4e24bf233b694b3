import type { Pool, PoolClient } from './pool.js';

/**
 * Runs `work` in one transaction on one client; commits if it resolves, rolls
 * back if it throws. `actor` names who makes the change: the triggers record it.
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: { actor?: string } = {},
): Promise<T> {
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
    if (options.actor !== undefined) {
      await client.query(`select set_config('flagship.actor', $1, true)`, [options.actor]);
    }
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    // A refused change (404, 409, 412...) leaves a healthy connection that rolls
    // back fine and goes back to the pool; only one that cannot roll back is suspect.
    await client.query('rollback').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    // Passing an error destroys the client rather than returning a broken
    // connection to the pool (whose own error listener is back from here on).
    client.off('error', onConnectionError);
    client.release(broken);
  }
}
