import type { FlagState } from '../../schemas/flags.js';
import type { Queryable } from '../../db/pool.js';

/**
 * A flag state in its public shape, built by the same SQL function the change
 * trigger uses for events (so REST, events and snapshots never disagree); join
 * `flag_state s` with `flag f`.
 */
const STATE_JSON = `flagship_state_json(s, f, f.archived_at is not null) as state`;

async function selectStates(db: Queryable, where: string, values: unknown[], suffix = ''): Promise<FlagState[]> {
  const { rows } = await db.query<{ state: FlagState }>(
    `select ${STATE_JSON}
       from flag_state s join flag f on f.id = s.flag_id
      where ${where}
      ${suffix}`,
    values,
  );
  return rows.map((row) => row.state);
}

export async function findFlagState(db: Queryable, flagKey: string, environment: string): Promise<FlagState | undefined> {
  const [state] = await selectStates(db, `f.key = $1 and s.environment_key = $2`, [flagKey, environment]);
  return state;
}

/** The states of the flags named (archived ones included) in one environment; a flag without one is absent. */
export async function findFlagStates(db: Queryable, flagKeys: string[], environment: string): Promise<FlagState[]> {
  return selectStates(db, `f.key = any($1::text[]) and s.environment_key = $2`, [flagKeys, environment]);
}

/** Every live flag's state in one environment, ordered by key: the environment's snapshot. */
export async function listEnvironmentStates(db: Queryable, environment: string): Promise<FlagState[]> {
  return selectStates(db, `s.environment_key = $1 and f.archived_at is null`, [environment], `order by f.key`);
}

export async function listStatesOfFlags(db: Queryable, flagIds: string[]): Promise<FlagState[]> {
  return selectStates(db, `s.flag_id = any($1::uuid[])`, [flagIds], `order by f.key, s.environment_key`);
}

/** Every live flag's state in one environment with the flag's own description and type, by key (for exports). */
export async function listEnvironmentStatesWithFlags(
  db: Queryable,
  environment: string,
): Promise<Array<{ description: string; type: string; state: FlagState }>> {
  const { rows } = await db.query<{ description: string; type: string; state: FlagState }>(
    `select f.description, f.type, ${STATE_JSON}
       from flag_state s join flag f on f.id = s.flag_id
      where s.environment_key = $1 and f.archived_at is null
      order by f.key collate "C"`,
    [environment],
  );
  return rows;
}
