import { insertEnvironment, listEnvironments, updateEnvironmentProtection } from './environment-repository.js';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import type { Environment } from '../../schemas/environments.js';
import type { Actor } from '../people/principal.js';

export { listEnvironments };

/** Adds an environment; every live flag gets a (disabled) state there, each recorded as a change by `actor`. */
export async function createEnvironment(pool: Pool, key: string, actor: Actor): Promise<Environment> {
  return withTransaction(pool, (client) => insertEnvironment(client, key), { actor });
}

/** Sets whether people change `key` only through change requests, and how many approvals those need. */
export async function protectEnvironment(pool: Pool, key: string, change: { protected?: boolean; requiredApprovals?: number }): Promise<Environment> {
  return updateEnvironmentProtection(pool, key, change);
}
