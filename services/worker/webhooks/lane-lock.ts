import type { Pool, PoolClient } from '../../../shared/db/pool.js';
import type { Lane } from '../../../shared/domain/webhooks/webhook-repository.js';

export type LaneLockResult<T> = { locked: false } | { locked: true; value: T };

/**
 * Runs `work` holding the lane's session-level advisory lock on one client, so
 * one attempt at a time goes out per (webhook, environment) across every
 * worker process. A session lock, not a transaction: nothing stays open while
 * the receiver answers, and a worker that dies drops its connection, which
 * releases the lock at once. Returns `{ locked: false }` when another holds it.
 */
export async function withLaneLock<T>(pool: Pool, lane: Lane, work: (client: PoolClient) => Promise<T>): Promise<LaneLockResult<T>> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // As in withTransaction: a connection dying while checked out must not crash the process.
  const onConnectionError = (error: Error) => {
    broken = error;
  };
  client.on('error', onConnectionError);
  const key = `${lane.webhookId}/${lane.environment}`;
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      `select pg_try_advisory_lock(hashtext('flagship.webhook_lane'), hashtext($1)) as locked`,
      [key],
    );
    if (!rows[0]!.locked) return { locked: false };
    try {
      return { locked: true, value: await work(client) };
    } finally {
      await client
        .query(`select pg_advisory_unlock(hashtext('flagship.webhook_lane'), hashtext($1))`, [key])
        .catch((error: unknown) => {
          // A client whose unlock failed may still hold the lock: never hand it back to the pool.
          broken = error instanceof Error ? error : new Error(String(error));
        });
    }
  } catch (error) {
    broken ??= error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.off('error', onConnectionError);
    client.release(broken);
  }
}
