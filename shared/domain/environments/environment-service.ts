import { insertEnvironment, listEnvironments } from './environment-repository.js';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import type { Environment } from '../../schemas/environments.js';

export { listEnvironments };

/** Adds an environment; every live flag gets a (disabled) state there, each recorded as a change by `actor`. */
export async function createEnvironment(pool: Pool, key: string, actor: string): Promise<Environment> {
  return withTransaction(pool, (client) => insertEnvironment(client, key), { actor });
}
