import { ConflictError, NotFoundError } from '../../errors.js';
import type { Environment } from '../../schemas/environments.js';
import type { Queryable } from '../../db/pool.js';
import { UNIQUE_VIOLATION, hasPostgresCode } from '../../db/postgres-errors.js';

const ENVIRONMENT_COLUMNS = `key, version, created_at as "createdAt", protected, required_approvals as "requiredApprovals"`;

export async function listEnvironments(db: Queryable): Promise<Environment[]> {
  const { rows } = await db.query<Environment>(`select ${ENVIRONMENT_COLUMNS} from environment order by created_at, key`);
  return rows;
}

export async function findEnvironment(db: Queryable, key: string): Promise<Environment | undefined> {
  const { rows } = await db.query<Environment>(`select ${ENVIRONMENT_COLUMNS} from environment where key = $1`, [key]);
  return rows[0];
}

export async function requireEnvironment(db: Queryable, key: string): Promise<Environment> {
  const environment = await findEnvironment(db, key);
  if (!environment) throw new NotFoundError(`environment '${key}' does not exist`);
  return environment;
}

/**
 * Serialises adding an environment against creating and archiving flags (run
 * inside a transaction; released at its end). Without it a flag created while
 * an environment is being added gets no state there: neither transaction sees
 * the other's uncommitted row. Flag writers share the lock, adding an
 * environment takes it alone; each statement after it sees the other's commit.
 */
export async function lockEnvironmentList(db: Queryable, mode: 'shared' | 'exclusive'): Promise<void> {
  const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await db.query(`select ${lock}(hashtext('flagship.environment_list'))`);
}

/**
 * Adds an environment and gives every live flag its default state there, so a
 * snapshot of the new environment lists every flag (each insert is a change).
 * Run inside withTransaction.
 */
export async function insertEnvironment(db: Queryable, key: string): Promise<Environment> {
  await lockEnvironmentList(db, 'exclusive');
  try {
    await db.query(`insert into environment (key) values ($1)`, [key]);
  } catch (error) {
    if (hasPostgresCode(error, UNIQUE_VIOLATION)) throw new ConflictError(`environment '${key}' already exists`);
    throw error;
  }
  await db.query(
    `insert into flag_state (flag_id, environment_key, strategies)
     select id, $1, jsonb_build_array(flagship_rollout_strategy(gen_random_uuid()::text, key, 100))
       from flag where archived_at is null order by key`,
    [key],
  );
  return requireEnvironment(db, key);
}

/** Sets whether `key` is protected and how many approvals its change requests need; the environment after. */
export async function updateEnvironmentProtection(
  db: Queryable,
  key: string,
  change: { protected?: boolean; requiredApprovals?: number },
): Promise<Environment> {
  const { rows } = await db.query<Environment>(
    `update environment
        set protected = coalesce($2, protected), required_approvals = coalesce($3, required_approvals)
      where key = $1
      returning ${ENVIRONMENT_COLUMNS}`,
    [key, change.protected ?? null, change.requiredApprovals ?? null],
  );
  if (!rows[0]) throw new NotFoundError(`environment '${key}' does not exist`);
  return rows[0];
}
