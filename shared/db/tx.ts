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
  let failure: Error | undefined;
  try {
    await client.query('begin');
    if (options.actor !== undefined) {
      await client.query(`select set_config('flagship.actor', $1, true)`, [options.actor]);
    }
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    // A broken connection cannot roll back; it is discarded below instead.
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    // Passing the error destroys the client rather than returning a possibly
    // broken connection to the pool.
    client.release(failure);
  }
}
